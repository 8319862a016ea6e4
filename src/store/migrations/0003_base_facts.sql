-- Facts for bases outside the yearly history (first tax year, 1984–1988 records, given fixed-base percentage, Idaho facts).
alter table study add column base_facts jsonb;
