/**
 * General ledger lines and 1099 contractor lists → SupplyCost / ContractResearch candidates.
 * Ledger accounts are classified by the component map's `ledger` rules (first match wins; no
 * match = not a research cost, counted as excluded and summarised per account). Ledger reports
 * with account sections (QuickBooks Online) carry the account down from the section row and drop
 * "Total for …" rows.
 */
import { cents } from '../money/cents.js';
import type { ContractResearch, SupplyCost } from '../study/model.js';
import { type ImportContext, parseLocation } from './context.js';
import type { Row } from './csv.js';
import { Fields, cmpStr, yearOf } from './common.js';
import { matchLedger, test, type ContractorRuleT, type LedgerRuleT } from './mapping.js';
import type { Profile } from './profiles.js';
import type { ImportedRecords } from './types.js';

export class LedgerProcessor {
  private readonly f: Fields;
  private account = '';
  private readonly supplies: SupplyCost[] = [];
  private readonly contracts: ContractResearch[] = [];
  private readonly unmapped = new Map<string, { n: number; cents: number }>();
  private src = { file: '', sha256: '' };

  constructor(
    private readonly ctx: ImportContext,
    private readonly profile: Profile,
    private readonly cols: Record<string, number>,
    headers: string[],
    private readonly rules: LedgerRuleT[],
    private readonly year: number | undefined,
  ) {
    this.f = new Fields(cols, headers, profile);
  }

  missing(): string[] {
    const m: string[] = [];
    if (this.cols.date === undefined) m.push('date');
    if (this.cols.amount === undefined && this.cols.debit === undefined) m.push('amount (or debit/credit)');
    if (this.cols.account === undefined && !this.profile.sections) m.push('account');
    return m;
  }

  row(r: Row): void {
    const f = this.f.reset(r);
    const sections = this.profile.sections;
    if (sections) {
      const first = r.text(0).trim();
      if (first.toLowerCase().startsWith(sections.totalPrefix.toLowerCase()) || /^total$/i.test(first)) {
        this.ctx.rowsExcluded++;
        return;
      }
      if (first !== '' && f.text('date') === '' && f.text('amount') === '' && f.text('debit') === '') {
        this.account = first; // section row: "6100 Lab Supplies"
        return;
      }
      if (f.text('date') === '' && f.text('amount') === '') return; // banner or blank spacer
    }
    this.ctx.rowsRead++;
    const account = f.has('account') && f.text('account') !== '' ? f.text('account') : this.account;
    if (account === '') f.problems.push({ column: f.has('account') ? f.col('account') : '(section)', value: '', expected: 'a GL account' });
    const date = f.date('date');
    let amount: number | undefined;
    if (f.has('amount')) amount = f.money('amount');
    else {
      const d = f.money('debit', false) ?? 0;
      const c = f.money('credit', false) ?? 0;
      if (f.text('debit') === '' && f.text('credit') === '') f.problems.push({ column: `${f.col('debit')}/${f.col('credit')}`, value: '', expected: 'a debit or a credit amount' });
      amount = d - c;
    }
    if (f.problems.length) return this.ctx.rowErrors(r.line, f.problems);
    if (this.year !== undefined && yearOf(date!) !== this.year) {
      this.ctx.rowsExcluded++;
      return;
    }
    const vendor = f.text('vendor');
    const memo = f.text('memo');
    const cls = [f.text('class'), f.text('department')].filter(Boolean).join(' / ');
    const rule = matchLedger(this.rules, { account, vendor, memo, class: cls });
    if (!rule || rule.as === 'ignore') {
      this.ctx.rowsExcluded++;
      if (!rule) {
        const u = this.unmapped.get(account) ?? { n: 0, cents: 0 };
        u.n++;
        u.cents += amount!;
        this.unmapped.set(account, u);
      }
      return;
    }
    const id = `gl-${r.line}`;
    const source = { row: r.line };
    if (rule.as === 'supply') {
      const s: SupplyCost = { id, description: [vendor, memo].filter(Boolean).join(' — ') || account, amount: cents(amount!), kind: rule.kind ?? 'supply', date: date!, glAccount: account, source };
      if (rule.component) s.componentId = rule.component;
      this.supplies.push(s);
    } else {
      const c: ContractResearch = { id, payee: vendor || account, payeeType: rule.payeeType ?? 'general', amount: cents(amount!), paidDate: date!, source };
      if (rule.component) c.componentId = rule.component;
      this.contracts.push(c);
    }
    this.ctx.rowsUsed++;
  }

  finish(src: { file: string; sha256: string }): Partial<ImportedRecords> {
    this.src = src;
    for (const [acct, u] of [...this.unmapped].sort((a, b) => cmpStr(a[0], b[0])))
      this.ctx.note('info', `account "${acct}": ${u.n} lines (${u.cents / 100}) match no ledger rule and were left out`, { value: acct, expected: 'a ledger rule if this account holds research costs' });
    const fix = <T extends { id: string; source?: { row?: number } }>(x: T): T => ({ ...x, id: `${x.id}-${src.sha256.slice(0, 12)}`, source: { file: src.file, sha256: src.sha256, ...x.source } });
    return { supplies: this.supplies.map(fix), contracts: this.contracts.map(fix) };
  }
}

/** 1099-NEC contractor lists → ContractResearch candidates (qualification is a later step). */
export class ContractorProcessor {
  private readonly f: Fields;
  private readonly out: ContractResearch[] = [];

  constructor(
    private readonly ctx: ImportContext,
    profile: Profile,
    private readonly cols: Record<string, number>,
    headers: string[],
    private readonly rules: ContractorRuleT[],
    private readonly year: number | undefined,
  ) {
    this.f = new Fields(cols, headers, profile);
  }

  missing(): string[] {
    return ['payee', 'amount'].filter((k) => this.cols[k] === undefined);
  }

  row(r: Row): void {
    const f = this.f.reset(r);
    this.ctx.rowsRead++;
    const payee = f.required('payee', 'the payee name');
    const amount = f.money('amount');
    const ty = f.text('tax_year');
    if (ty !== '' && !/^\d{4}$/.test(ty)) f.problems.push({ column: f.col('tax_year'), value: ty, expected: 'a four-digit tax year' });
    const date = f.has('date') ? f.date('date', false) : undefined;
    const ws = f.text('work_state');
    const loc = parseLocation(ws);
    if (loc && 'bad' in loc) f.problems.push({ column: f.col('work_state'), value: ws, expected: loc.expected });
    if (f.problems.length) return this.ctx.rowErrors(r.line, f.problems);
    if (this.year !== undefined && ((ty !== '' && +ty !== this.year) || (date && yearOf(date) !== this.year))) {
      this.ctx.rowsExcluded++;
      return;
    }
    const memo = f.text('memo');
    const rule = this.rules.find((x) => test(x.match.payee, payee) && test(x.match.memo, memo));
    if (rule?.exclude) {
      this.ctx.rowsExcluded++;
      return;
    }
    const c: ContractResearch = { id: `1099-${r.line}`, payee, payeeType: rule?.payeeType ?? 'general', amount: cents(amount!), source: { row: r.line } };
    if (rule?.component) c.componentId = rule.component;
    if (date) c.paidDate = date;
    if (loc && !('bad' in loc)) c.location = loc;
    else {
      const mail = f.text('payee_state');
      this.ctx.rowWarning(r.line, {
        column: f.has('work_state') ? f.col('work_state') : 'work_state',
        value: '',
        expected: 'where the research was performed',
        message: `contractor location missing for ${payee}${mail ? ` (mailing state ${mail} is not evidence of where the work was done)` : ''}: location left unknown`,
      });
    }
    this.out.push(c);
    this.ctx.rowsUsed++;
  }

  finish(src: { file: string; sha256: string }): Partial<ImportedRecords> {
    return { contracts: this.out.map((c) => ({ ...c, id: `${c.id}-${src.sha256.slice(0, 12)}`, source: { file: src.file, sha256: src.sha256, ...c.source } })) };
  }
}
