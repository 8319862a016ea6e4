/**
 * The study's prior years when they reach back, without gaps, from the taxpayer's first tax year
 * to the credit year: only such a history can say when something first happened (first gross
 * receipts for the §41(h) test, first Idaho QREs for the start-up schedule).
 */
import { addDays } from '../../periods/index.js';
import type { PriorYear, Study } from '../model.js';

/** Prior years in order from the first tax year to the year before `periodStart`; undefined when there is a gap or the first year is unknown. */
export function completeHistory(study: Study, history: readonly PriorYear[], periodStart: string): PriorYear[] | undefined {
  const first = study.baseFacts?.firstTaxYearStart;
  if (first === undefined) return undefined;
  if (first >= periodStart) return [];
  const years = [...history].sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  if (years.length === 0 || years[0]!.period.start !== first) return undefined;
  for (let i = 1; i < years.length; i++) if (years[i]!.period.start !== addDays(years[i - 1]!.period.end, 1)) return undefined;
  if (addDays(years[years.length - 1]!.period.end, 1) !== periodStart) return undefined;
  return years;
}
