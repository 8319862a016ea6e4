/**
 * Creating a new study folder from templates: a commented study.yaml and every CSV file with its
 * header only. The result reads back with zero errors (an empty study for the given taxpayer).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { isoDate } from '../../periods/date.js';
import { writeCsv } from './csv.js';
import { STUDY_YAML } from './read.js';
import { TABLES } from './tables.js';

export interface InitOptions {
  /** Study id (default: the folder's name). */
  id?: string;
  title?: string;
  taxpayerName: string;
  taxpayerId?: string;
  entityType?: 'c_corporation' | 's_corporation' | 'partnership' | 'sole_proprietorship' | 'estate_or_trust' | 'tax_exempt';
  /** Credit-year period (default: calendar `year`). */
  period?: { start: string; end: string };
  /** Calendar tax year, used when `period` is not given (default: the previous calendar year). */
  year?: number;
  states?: string[];
  firm?: { id: string; name: string };
  client?: { id: string; name: string };
  /** Write into a folder that already holds files (default: refuse). */
  force?: boolean;
}

export class StudyFolderExistsError extends Error {
  override name = 'StudyFolderExistsError';
}

const q = (s: string) => YAML.stringify(s, { schema: 'failsafe' }).trimEnd();

/** The commented study.yaml template. */
export function studyYamlTemplate(dir: string, o: InitOptions): string {
  const year = o.year ?? new Date().getUTCFullYear() - 1;
  const start = isoDate(o.period?.start ?? `${year}-01-01`);
  const end = isoDate(o.period?.end ?? `${year}-12-31`);
  const id = o.id ?? (dir.split(/[\\/]/).filter(Boolean).pop() || 'study');
  const tpId = o.taxpayerId ?? (o.taxpayerName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'taxpayer');
  const org = (k: string, v?: { id: string; name: string }) =>
    v ? `${k}:\n  id: ${q(v.id)}\n  name: ${q(v.name)}\n` : `# ${k}:            # the preparer's ${k === 'firm' ? 'firm' : 'client'} (optional)\n#   id: acme-cpa\n#   name: Acme CPA LLP\n`;
  return `# rdcredit study — docs/study-format.md describes every key.
# Money is dollars and cents ("1234.56", "1,234.56", "$12", "(45.00)" for negative).
# Dates are YYYY-MM-DD or MM/DD/YYYY. An empty or absent value means "not known" — never zero.
formatVersion: 1
id: ${q(id)}
title: ${q(o.title ?? `${o.taxpayerName} research credit study`)}
${org('firm', o.firm)}${org('client', o.client)}taxpayer:
  id: ${q(tpId)}
  name: ${q(o.taxpayerName)}
  ein:                    # 12-3456789
  entityType: ${o.entityType ?? 'c_corporation'}   # c_corporation, s_corporation, partnership, sole_proprietorship, estate_or_trust, tax_exempt
  activityCode:           # principal business activity code (NAICS)
  publiclyTraded:         # true / false
  period:
    start: ${start}
    end: ${end}
  states: [${(o.states ?? []).join(', ')}]               # USPS codes where the taxpayer files or does research
  # groupMembers:         # other members of a §41(f) controlled group or unitary group
  #   - id: sub1
  #     name: Subsidiary Inc.
  #     ein: 98-7654321
  #     inControlledGroup: true
  #     unitary: true
  # owners:               # pass-through owners and their shares
  #   - { id: o1, name: Jane Founder, entityType: individual, share: "0.6" }
grossReceipts:            # credit-year gross receipts (§41(c)(6))
# grossReceiptsByState: { ID: "1000000.00" }
history: []               # prior years, newest first, e.g.
#  - period: { start: ${year - 1}-01-01, end: ${year - 1}-12-31 }
#    qre: "100000.00"
#    qreByState: { ID: "80000.00" }
#    grossReceipts: "2500000.00"
#    grossReceiptsByState: { ID: "1500000.00" }
#    creditClaimed: "5000.00"
#    method: asc          # regular or asc
#    section280cElected: true
taxFacts: {}              # regularTax, tentativeMinimumTax, priorCredits, otherGeneralBusinessCredits,
                          # carryforwards: [{ vintage: "2023", amount: "1000.00" }],
                          # payrollTaxes: [{ quarter: ${year + 1}-Q1, socialSecurity: "...", medicare: "..." }],
                          # returnFiledDate, originalReturn, marriedFilingSeparately
elections:
  method: best            # regular, asc or best (the engine shows both and picks the larger)
  section280c: best       # true, false or best
  # payrollElection: { elect: true, amount: "250000.00" }
  # section174aCapitalizeMonths: 60
  # section174Transition: deduct_2025   # deduct_2025, ratable_2025_2026, continue
  # idahoStartupElection: false
  # options: {}           # answers to open legal questions: option id: choice
`;
}

/**
 * Creates a new study folder at `dir`: a commented study.yaml and every CSV file with its header.
 * Refuses a folder that already has files unless `force` is set.
 * @returns the paths written.
 */
export function initStudyFolder(dir: string, opts: InitOptions): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !opts.force) throw new StudyFolderExistsError(`${dir} is not empty; refusing to overwrite (use force)`);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const p = join(dir, STUDY_YAML);
  writeFileSync(p, studyYamlTemplate(dir, opts));
  written.push(p);
  for (const t of TABLES) {
    const f = join(dir, t.file);
    writeFileSync(
      f,
      writeCsv(
        t.columns.map((c) => c.name),
        [],
      ),
    );
    written.push(f);
  }
  return written;
}
