/**
 * XLSX workpapers the way CPAs keep them (docs/workpapers.md): a cover and index sheet; one sheet
 * per schedule; one per form, where every line with a `calc` in the form map is a live Excel
 * formula over the cells of the lines it uses (with the engine's value as the cached result), and
 * totals are guarded SUMs; input lines are values. Unknown amounts say "unknown", never 0.
 *
 *   const xlsx = await writeWorkpapers(result, study, { law, ledger, qualification });
 */
import ExcelJS from 'exceljs';
import type { LedgerEntry } from '../../evidence/ledger.js';
import type { Explanation, Val } from '../../explain/types.js';
import type { Law, LawView } from '../../law/law.js';
import type { FormMap } from '../../law/schema.js';
import type { Cents } from '../../money/cents.js';
import { rateToDecimal, ratio, type Rate } from '../../money/rate.js';
import { taxPeriod } from '../../periods/index.js';
import { componentStatusFrom, contractRate, qualifiedComputerUse, qualifiedContractResearch, qualifiedSupplies } from '../../rules/federal/qre-categories.js';
import type { FormResult, LineValue, Schedule, StudyResult } from '../../study/compute/result.js';
import type { Study } from '../../study/model.js';
import type { QualificationReport } from '../../study/qualify/types.js';
import { refsOf, toExcel, type CalcValue } from './calc.js';
import { lineCalcValue, paramCalcValue, reconcileForm, type LineReconciliation } from './form-calc.js';
import { col, FMT, formula, money, NA, qref, SheetWriter, sheetName, sourceText, txt, UNKNOWN, val, type Cell } from './sheet.js';

export { parseCalc, evalCalc, toExcel, refsOf, CalcSyntaxError, type CalcNode, type CalcValue } from './calc.js';
export { checkFormCalcs, reconcileForm, lineCalcValue, type LineReconciliation } from './form-calc.js';

export interface WorkpaperOptions {
  /** The law the result was computed with (form maps with their calcs, parameters). */
  law: Law;
  /** The evidence ledger's entries, to name the ledger entry of each source file. */
  ledger?: readonly LedgerEntry[];
  qualification?: QualificationReport;
  preparedBy?: string;
  /** ISO date or timestamp written on the cover (default: none, so the bytes depend only on the inputs). */
  preparedAt?: string;
}

interface IndexEntry {
  sheet: string;
  what: string;
  source: string;
}

interface Ctx {
  wb: ExcelJS.Workbook;
  result: StudyResult;
  study: Study;
  law: Law;
  view: LawView;
  ledger: Map<string, LedgerEntry>;
  subtitle: string;
  index: IndexEntry[];
  /** Parameter id → absolute cell on the Parameters sheet. */
  paramCells: Map<string, string>;
  /** Form id → line → cell address on that form's sheet. */
  formCells: Map<string, { sheet: string; cells: Map<string, string> }>;
}

const PARAMS_SHEET = 'Parameters';

function valCents(v: Val<Cents>): number | null {
  return v.kind === 'known' ? v.value : null;
}

/** The sum of known cents, or null when any is unknown. */
function sumOrNull(xs: readonly (number | null)[]): number | null {
  return xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + (x ?? 0), 0);
}

function statusText(v: Val<unknown>): string {
  if (v.kind === 'known') return 'known';
  if (v.kind === 'unknown') return `unknown — missing: ${v.missing.slice(0, 5).join(', ')}${v.missing.length > 5 ? ` (+${v.missing.length - 5} more)` : ''}`;
  return `n/a — ${v.reason}`;
}

function ruleText(why: Explanation): string {
  const params = why.params.map((p) => `${p.id} = ${p.value}`);
  return [`rule ${why.rule}`, ...params].join('; ');
}

/** A guarded total: SUM of the range when every cell holds a number, else "unknown". */
function guardedSum(range: string, rows: number): string {
  return rows > 0 ? `IF(COUNT(${range})=ROWS(${range}),SUM(${range}),"unknown")` : '0';
}

/** Writes a totals row for the money columns of a detail sheet; returns the row. */
function totalsRow(w: SheetWriter, firstRow: number, lastRow: number, width: number, cols: Record<number, { cents: (number | null)[]; fmt?: string }>, label = 'Total'): number {
  const cells: (Cell | undefined)[] = Array.from({ length: width }, () => undefined);
  cells[0] = { v: label, bold: true };
  for (const [c, spec] of Object.entries(cols)) {
    const ci = Number(c);
    const n = lastRow - firstRow + 1;
    const anyUnknown = spec.cents.some((x) => x === null);
    const total = spec.cents.reduce<number>((s, x) => s + (x ?? 0), 0);
    const range = `${col(ci)}${firstRow}:${col(ci)}${lastRow}`;
    cells[ci - 1] = formula(guardedSum(range, n), n === 0 ? 0 : anyUnknown ? UNKNOWN : total / 100, spec.fmt ?? FMT.cents);
  }
  return w.add(cells, { bold: true, topBorder: true });
}

function cellsOf(v: Val<Cents>, fmt: string = FMT.cents): Cell {
  if (v.kind === 'known') return money(v.value, fmt);
  return { v: v.kind === 'na' ? NA : UNKNOWN };
}

// ---------------------------------------------------------------------------------------------
// Schedules

function employeesSheet(ctx: Ctx): void {
  const emps = ctx.result.employees;
  const name = sheetName(ctx.wb, 'QREs by employee');
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Qualified wages by employee (§41(b)(2)(B); Reg. §1.41-2(d))',
    ctx.subtitle,
    [
      { header: 'Employee ID', width: 14 },
      { header: 'Name', width: 24 },
      { header: 'Title', width: 24 },
      { header: 'Role', width: 12 },
      { header: 'Officer', width: 9 },
      { header: '§3401(a) wages', width: 16 },
      { header: 'Qualified share', width: 11 },
      { header: 'Qualified wages', width: 16 },
      { header: 'Hours (all)', width: 11 },
      { header: 'Basis of the share', width: 18 },
      { header: 'Source', width: 48 },
    ],
    emps ? 'Qualified wages = §3401(a) wages × qualified share (a live formula where it reproduces the engine exactly; the 80% rule gives a share of 1).' : 'The engine did not report per-employee results for this study.',
  );
  ctx.index.push({ sheet: name, what: 'Each employee: wages, qualified share and qualified wages', source: 'W-2 / payroll import, time records; rule us.federal.irc41.qre.wages' });
  if (!emps) return;
  const first = w.row;
  const wages: (number | null)[] = [];
  const qual: (number | null)[] = [];
  for (const e of emps) {
    const se = ctx.study.employees.find((x) => x.id === e.id);
    const r = w.row;
    const share = e.qualifiedShare === null ? null : Number(e.qualifiedShare);
    let q: Cell = money(e.qualifiedWages);
    if (e.wages !== null && e.qualifiedShare !== null && e.qualifiedWages !== null) {
      // the formula is used only when it gives the engine's cents exactly
      const s = /^[0-9]+(\.[0-9]+)?$/.test(e.qualifiedShare) ? e.qualifiedShare : undefined;
      if (s) {
        const [i, f = ''] = s.split('.');
        const exact = ratio(BigInt(e.wages) * BigInt(i! + f), 10n ** BigInt(f.length));
        const rounded = Number((exact.num * 2n + exact.den) / (2n * exact.den));
        if (rounded === e.qualifiedWages) q = formula(`ROUND(F${r}*G${r},2)`, e.qualifiedWages / 100, FMT.cents);
      }
    }
    const hours = Object.values(e.hours).reduce((a, b) => a + b, 0);
    w.add([
      txt(e.id),
      txt(e.name),
      txt(e.title),
      txt(e.role),
      val(e.officer ? 1 : 0, FMT.flag),
      money(e.wages),
      share === null ? val(UNKNOWN) : val(share, FMT.rate),
      q,
      val(hours, FMT.hours),
      txt(e.basis),
      txt(sourceText(se?.source, ctx.ledger, 'rule us.federal.irc41.qre.wages', `employees.csv ${e.id}`)),
    ]);
    wages.push(e.wages);
    qual.push(e.qualifiedWages);
  }
  const last = w.row - 1;
  totalsRow(w, first, last, 11, { 6: { cents: wages }, 8: { cents: qual } });
  reconcileRow(w, 8, 11, 'Form 6765 line 42 before rounding (engine)', ctx.result.qre.wages, last + 1, sumOrNull(qual));
}

/** A "ties to" row: the engine's amount and the difference from the sheet's total. */
function reconcileRow(w: SheetWriter, column: number, width: number, label: string, v: Val<Cents>, totalRow: number, sheetTotal: number | null): void {
  const a: (Cell | undefined)[] = Array.from({ length: width }, () => undefined);
  a[0] = { v: label };
  a[column - 1] = cellsOf(v);
  const r = w.add(a);
  const d: (Cell | undefined)[] = Array.from({ length: width }, () => undefined);
  d[0] = { v: 'Difference (should be 0)' };
  const c = col(column);
  const diff = v.kind === 'known' && sheetTotal !== null ? (sheetTotal - v.value) / 100 : UNKNOWN;
  d[column - 1] = formula(`IF(COUNT(${c}${totalRow},${c}${r})=2,${c}${totalRow}-${c}${r},"unknown")`, diff, FMT.cents);
  w.add(d);
}

function componentsSheet(ctx: Ctx): void {
  const name = sheetName(ctx.wb, 'QREs by component');
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Qualified research expenses by business component',
    ctx.subtitle,
    [
      { header: 'Component', width: 12 },
      { header: 'Name', width: 44 },
      { header: 'Wages', width: 16 },
      { header: 'Supplies', width: 16 },
      { header: 'Computers', width: 16 },
      { header: 'Contract (applicable)', width: 18 },
      { header: 'Total', width: 16 },
      { header: 'Qualification', width: 16 },
      { header: 'Source', width: 40 },
    ],
    'Known amounts assigned to each component by the engine; the total of each row is a formula.',
  );
  ctx.index.push({ sheet: name, what: 'QREs of each business component by category', source: 'engine: qre.byComponent' });
  const first = w.row;
  const rows = ctx.result.qre.byComponent;
  for (const c of rows) {
    const r = w.row;
    const comp = ctx.study.components.find((x) => x.id === c.componentId);
    w.add([
      txt(c.componentId),
      txt(c.name),
      money(c.wages),
      money(c.supplies),
      money(c.computers),
      money(c.contract),
      formula(`SUM(C${r}:F${r})`, c.total / 100, FMT.cents),
      txt(comp?.qualification),
      txt(`components.csv ${c.componentId}; time records and cost lines linked to it`),
    ]);
  }
  totalsRow(w, first, w.row - 1, 9, {
    3: { cents: rows.map((x) => x.wages) },
    4: { cents: rows.map((x) => x.supplies) },
    5: { cents: rows.map((x) => x.computers) },
    6: { cents: rows.map((x) => x.contract) },
    7: { cents: rows.map((x) => x.total) },
  });
}

function categoriesSheet(ctx: Ctx): void {
  const name = sheetName(ctx.wb, 'QREs by category');
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Qualified research expenses by category (Form 6765 Section F)',
    ctx.subtitle,
    [
      { header: 'Category', width: 36 },
      { header: 'Amount', width: 18 },
      { header: 'Form 6765 line', width: 10 },
      { header: 'Status', width: 40 },
      { header: 'Source (rule and parameters)', width: 60 },
    ],
  );
  ctx.index.push({ sheet: name, what: 'Wages, supplies, computers, contract research and basic research: Section F lines 42–48', source: 'engine: qre.*' });
  const q = ctx.result.qre;
  const rows: [string, Val<Cents>, string][] = [
    ['Wages for qualified services', q.wages, '42'],
    ['Supplies', q.supplies, '43'],
    ['Rental or lease of computers (cloud)', q.computers, '44'],
    ['Contract research (applicable amount)', q.contract, '45'],
    ['Basic research payments (applicable amount)', q.basicResearch, '46'],
  ];
  const first = w.row;
  for (const [label, v, line] of rows) w.add([txt(label), cellsOf(v), txt(line), txt(statusText(v)), txt(ruleText(v.why))]);
  const last = w.row - 1;
  const all = rows.every(([, v]) => v.kind === 'known');
  const sum = rows.reduce((s, [, v]) => s + (v.kind === 'known' ? v.value : 0), 0);
  w.add([{ v: 'Total QREs', bold: true }, formula(guardedSum(`B${first}:B${last}`, rows.length), all ? sum / 100 : UNKNOWN, FMT.cents), txt('48'), txt(statusText(q.total)), txt('sum of the categories; Form 6765 line 48 adds the lines rounded to whole dollars')], { bold: true, topBorder: true });
}

function statesSheet(ctx: Ctx): void {
  const by = ctx.result.qre.byState;
  const name = sheetName(ctx.wb, 'QREs by state');
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Qualified research expenses sourced to each state (where the research was performed)',
    ctx.subtitle,
    [
      { header: 'State', width: 10 },
      { header: 'Wages', width: 16 },
      { header: 'Supplies', width: 16 },
      { header: 'Computers', width: 16 },
      { header: 'Contract (applicable)', width: 18 },
      { header: 'Total', width: 16 },
      { header: 'Source', width: 40 },
    ],
    by ? 'Known amounts by work location; a state credit uses its own sourced QREs.' : 'The engine did not report QREs by state for this study.',
  );
  ctx.index.push({ sheet: name, what: 'QREs by state of performance', source: 'engine: qre.byState (time-record and cost-line locations)' });
  if (!by) return;
  const first = w.row;
  const entries = Object.entries(by).sort(([a], [b]) => a.localeCompare(b));
  for (const [st, v] of entries) {
    const r = w.row;
    w.add([txt(st), money(v.wages), money(v.supplies), money(v.computers), money(v.contract), formula(`SUM(B${r}:E${r})`, v.total / 100, FMT.cents), txt('rule us.states.sourcing')]);
  }
  totalsRow(w, first, w.row - 1, 7, {
    2: { cents: entries.map(([, v]) => v.wages) },
    3: { cents: entries.map(([, v]) => v.supplies) },
    4: { cents: entries.map(([, v]) => v.computers) },
    5: { cents: entries.map(([, v]) => v.contract) },
    6: { cents: entries.map(([, v]) => v.total) },
  });
}

/** The treatment of one record as the engine decided it ("counted", "excluded: …", "unknown: …"). */
function treatment(v: Val<Cents>): string {
  if (v.kind === 'unknown') return `unknown — missing: ${v.missing.join(', ')}`;
  if (v.kind === 'na') return `n/a — ${v.reason}`;
  const notes = [...v.why.notes, ...v.why.children.flatMap((c) => c.notes)];
  return notes.find((n) => n.startsWith('excluded')) ?? 'counted';
}

function locText(l: { country: string; state?: string } | undefined): string {
  if (!l) return 'unknown';
  return l.country === 'US' ? (l.state ?? 'US') : l.country;
}

function suppliesSheet(ctx: Ctx): void {
  const name = sheetName(ctx.wb, 'Supplies');
  const status = componentStatusFrom(ctx.study.components);
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Supplies used in qualified research (§41(b)(2)(C); Reg. §1.41-2(b))',
    ctx.subtitle,
    [
      { header: 'ID', width: 10 },
      { header: 'Description', width: 48 },
      { header: 'Component', width: 11 },
      { header: 'Kind', width: 20 },
      { header: 'Location', width: 9 },
      { header: 'Date', width: 11 },
      { header: 'Amount', width: 15 },
      { header: 'Qualified amount', width: 16 },
      { header: 'Treatment', width: 50 },
      { header: 'Source', width: 40 },
    ],
    'Each line is decided by the engine rule us.federal.irc41.qre.supplies; a counted line is a formula on its amount.',
  );
  ctx.index.push({ sheet: name, what: 'Every supply cost line and whether it counts', source: 'supplies.csv / GL import; rule us.federal.irc41.qre.supplies' });
  const first = w.row;
  const amounts: number[] = [];
  const qual: (number | null)[] = [];
  for (const s of ctx.study.supplies) {
    const r = w.row;
    const v = qualifiedSupplies(ctx.view, [s], status);
    const counted = v.kind === 'known' && v.value === s.amount && treatment(v) === 'counted';
    w.add([
      txt(s.id),
      txt(s.description),
      txt(s.componentId ?? '—'),
      txt(s.kind),
      txt(locText(s.location)),
      txt(s.date),
      money(s.amount),
      counted ? formula(`G${r}`, s.amount / 100, FMT.cents) : cellsOf(v),
      txt(treatment(v)),
      txt(sourceText(s.source, ctx.ledger, s.glAccount ? `GL ${s.glAccount}` : undefined, `supplies.csv ${s.id}; rule us.federal.irc41.qre.supplies`)),
    ]);
    amounts.push(s.amount);
    qual.push(valCents(v));
  }
  const last = w.row - 1;
  totalsRow(w, first, last, 10, { 7: { cents: amounts }, 8: { cents: qual } });
  reconcileRow(w, 8, 10, 'Qualified supplies (engine, line 43 before rounding)', ctx.result.qre.supplies, last + 1, sumOrNull(qual));
}

function computersSheet(ctx: Ctx): void {
  const name = sheetName(ctx.wb, 'Cloud and computers');
  const status = componentStatusFrom(ctx.study.components);
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Amounts paid for the right to use computers in qualified research (§41(b)(2)(A)(iii))',
    ctx.subtitle,
    [
      { header: 'ID', width: 12 },
      { header: 'Vendor', width: 22 },
      { header: 'Description', width: 44 },
      { header: 'Component', width: 11 },
      { header: 'Use', width: 11 },
      { header: 'Research share', width: 10 },
      { header: 'Amount', width: 15 },
      { header: 'Qualified amount', width: 16 },
      { header: 'Treatment', width: 50 },
      { header: 'Source', width: 40 },
    ],
    'Research use counts in full, production hosting does not, mixed use × research share (formulas).',
  );
  ctx.index.push({ sheet: name, what: 'Cloud and computer-rental lines: research, production or mixed use', source: 'cloud billing import; rule us.federal.irc41.qre.computers' });
  const first = w.row;
  const amounts: number[] = [];
  const qual: (number | null)[] = [];
  for (const c of ctx.study.computers) {
    const r = w.row;
    const v = qualifiedComputerUse(ctx.view, [c], status);
    const counted = v.kind === 'known' && treatment(v) === 'counted';
    let q: Cell = cellsOf(v);
    if (counted && c.use === 'research' && v.value === c.amount) q = formula(`G${r}`, c.amount / 100, FMT.cents);
    if (counted && c.use === 'mixed') q = formula(`ROUND(G${r}*F${r},2)`, v.value / 100, FMT.cents);
    const share = c.use === 'mixed' ? (c.researchShare === undefined ? val(UNKNOWN) : val(Number(rateToDecimal(parseShare(c.researchShare), 10)), FMT.rate)) : txt('—');
    w.add([txt(c.id), txt(c.vendor), txt(c.description), txt(c.componentId ?? '—'), txt(c.use), share, money(c.amount), q, txt(treatment(v)), txt(sourceText(c.source, ctx.ledger, undefined, `computers.csv ${c.id}; rule us.federal.irc41.qre.computers`))]);
    amounts.push(c.amount);
    qual.push(valCents(v));
  }
  const last = w.row - 1;
  totalsRow(w, first, last, 10, { 7: { cents: amounts }, 8: { cents: qual } });
  reconcileRow(w, 8, 10, 'Computer use (engine, line 44 before rounding)', ctx.result.qre.computers, last + 1, sumOrNull(qual));
}

function parseShare(s: string): Rate {
  const f = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(s);
  if (f) return ratio(BigInt(f[1]!), BigInt(f[2]!));
  const [i, d = ''] = s.trim().split('.');
  return ratio(BigInt((i || '0') + d), 10n ** BigInt(d.length));
}

function contractsSheet(ctx: Ctx): void {
  const name = sheetName(ctx.wb, 'Contract research');
  const status = componentStatusFrom(ctx.study.components);
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Contract research expenses (§41(b)(3); Reg. §1.41-2(e)): 65% general, 75% qualified research consortium, 100% energy research at an eligible small business, university or federal laboratory',
    ctx.subtitle,
    [
      { header: 'ID', width: 10 },
      { header: 'Payee', width: 28 },
      { header: 'Payee type', width: 22 },
      { header: 'Component', width: 11 },
      { header: 'Location', width: 9 },
      { header: 'Amount paid', width: 15 },
      { header: 'Prepaid for later years', width: 14 },
      { header: 'Applicable %', width: 11 },
      { header: 'Applicable amount', width: 16 },
      { header: 'Treatment', width: 50 },
      { header: 'Source', width: 40 },
    ],
    'Applicable amount = ROUND(MAX(0, amount − prepaid) × applicable %, 2), live; the % is the law parameter for the payee type.',
  );
  ctx.index.push({ sheet: name, what: 'Each contract: rights and risk, payee type, 65/75/100% applied', source: 'contracts / 1099 import; rule us.federal.irc41.qre.contract' });
  const first = w.row;
  const amounts: number[] = [];
  const qual: (number | null)[] = [];
  for (const c of ctx.study.contracts) {
    const r = w.row;
    const v = qualifiedContractResearch(ctx.view, [c], status);
    const counted = v.kind === 'known' && treatment(v) === 'counted';
    const rt = contractRate(ctx.view, null, c);
    const q = counted ? formula(`ROUND(MAX(0,F${r}-G${r})*H${r},2)`, v.value / 100, FMT.cents) : cellsOf(v);
    w.add([
      txt(c.id),
      txt(c.payee),
      txt(c.payeeType + (c.energyResearch ? ' (energy research)' : '')),
      txt(c.componentId ?? '—'),
      txt(locText(c.location)),
      money(c.amount),
      money(c.prepaidForLaterYears ?? 0),
      val(Number(rateToDecimal(rt, 10)), FMT.rate),
      q,
      txt(`${treatment(v)}; bears risk: ${c.taxpayerBearsRisk ?? 'unknown'}; rights to results: ${c.taxpayerHasRights ?? 'unknown'}`),
      txt(sourceText(c.source, ctx.ledger, undefined, `contracts.csv ${c.id}; rule us.federal.irc41.qre.contract`)),
    ]);
    amounts.push(c.amount);
    qual.push(valCents(v));
  }
  const last = w.row - 1;
  totalsRow(w, first, last, 11, { 6: { cents: amounts }, 9: { cents: qual } });
  reconcileRow(w, 9, 11, 'Contract research (engine, line 45 before rounding)', ctx.result.qre.contract, last + 1, sumOrNull(qual));
}

function evidenceSheet(ctx: Ctx): void {
  const items = ctx.study.evidence ?? [];
  const name = sheetName(ctx.wb, 'Evidence');
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Evidence items (content-addressed in the ledger)',
    ctx.subtitle,
    [
      { header: 'ID', width: 12 },
      { header: 'Kind', width: 14 },
      { header: 'Title', width: 44 },
      { header: 'Claimed date', width: 12 },
      { header: 'Captured at', width: 22 },
      { header: 'SHA-256', width: 66 },
      { header: 'Ledger entry', width: 10 },
      { header: 'Components', width: 16 },
      { header: 'People', width: 20 },
      { header: 'Outcome', width: 12 },
      { header: 'URI / source', width: 40 },
    ],
    items.length ? undefined : 'No evidence items are recorded in the study.',
  );
  ctx.index.push({ sheet: name, what: 'Evidence items with their SHA-256 and ledger entry', source: 'study evidence; evidence ledger' });
  for (const e of items) {
    const le = e.sha256 ? ctx.ledger.get(e.sha256) : undefined;
    w.add([
      txt(e.id),
      txt(e.kind),
      txt(e.title),
      txt(e.claimedDate ?? 'undated'),
      txt(e.capturedAt),
      txt(e.sha256 ?? 'not captured'),
      le ? val(le.seq, FMT.count) : txt(e.sha256 ? 'not in ledger' : '—'),
      txt(e.componentIds.join(', ')),
      txt(e.employeeIds.join(', ')),
      txt(e.outcome),
      txt(e.uri ?? sourceText(e.source, ctx.ledger, undefined, `evidence ${e.id}`)),
    ]);
  }
}

function qualificationSheet(ctx: Ctx, q: QualificationReport): void {
  const name = sheetName(ctx.wb, 'Qualification');
  const w = new SheetWriter(
    ctx.wb,
    name,
    'Four-part test, exclusions and substantially-all by business component (§41(d))',
    ctx.subtitle,
    [
      { header: 'Component', width: 12 },
      { header: 'Name', width: 36 },
      { header: 'Result', width: 16 },
      { header: 'Permitted purpose', width: 14 },
      { header: 'Technological uncertainty', width: 14 },
      { header: 'Technological in nature', width: 14 },
      { header: 'Process of experimentation', width: 14 },
      { header: 'Exclusions that apply', width: 30 },
      { header: 'Substantially all (share)', width: 12 },
      { header: 'Readiness', width: 10 },
      { header: 'Evidence', width: 40 },
    ],
  );
  ctx.index.push({ sheet: name, what: 'Qualification of each business component', source: 'qualification report' });
  for (const c of q.components) {
    const t = (id: string) => c.tests.find((x) => x.test === id)?.status ?? 'needs_information';
    w.add([
      txt(c.componentId),
      txt(c.name),
      txt(c.result),
      txt(t('permitted_purpose')),
      txt(t('technological_uncertainty')),
      txt(t('technological_in_nature')),
      txt(t('process_of_experimentation')),
      txt(c.exclusions.filter((e) => e.applies !== false).map((e) => `${e.exclusion}${e.applies === 'unknown' ? ' (unknown)' : ''}`).join(', ') || 'none'),
      c.substantiallyAll.share === null ? val(UNKNOWN) : val(Number(c.substantiallyAll.share), FMT.rate),
      val(c.readiness.score, FMT.count),
      txt(c.evidence.map((e) => `${e.id}${e.sha256 ? ` ${e.sha256.slice(0, 10)}…` : ''}`).join(', ')),
    ]);
  }
}

/** A generic schedule from the engine (§174, carryforwards, Section G, owners, multistate, …). */
function scheduleSheet(ctx: Ctx, s: Schedule): void {
  const name = sheetName(ctx.wb, s.title);
  const cols = s.columns;
  const width = cols.length + 1;
  const w = new SheetWriter(
    ctx.wb,
    name,
    s.title,
    `${ctx.subtitle} — ${s.citation.map((c) => c.title + (c.pinpoint ? ` ${c.pinpoint}` : '')).join('; ')}`,
    [...cols.map((c) => ({ header: c.label, width: c.kind === 'text' ? 30 : 16 })), { header: 'Source', width: 40 }],
    s.notes?.join(' '),
  );
  ctx.index.push({ sheet: name, what: s.title, source: `engine schedule "${s.id}"` });
  const fmtOf = (k: string) => (k === 'money' ? FMT.cents : k === 'rate' ? FMT.rate : k === 'hours' ? FMT.hours : k === 'count' ? FMT.count : k === 'flag' ? FMT.flag : undefined);
  const cellOf = (kind: string, v: unknown): Cell => {
    if (v === null || v === undefined) return val(UNKNOWN);
    if (kind === 'money' && typeof v === 'number') return money(v);
    if (kind === 'flag' && typeof v === 'boolean') return val(v ? 1 : 0, FMT.flag);
    if (kind === 'rate' && typeof v === 'string' && /^-?[0-9.]+$/.test(v)) return val(Number(v), FMT.rate);
    if (typeof v === 'number') return val(v, fmtOf(kind));
    return txt(String(v));
  };
  const first = w.row;
  for (const row of s.rows) w.add([...cols.map((c) => cellOf(c.kind, row.cells[c.key])), txt(row.source ?? `engine schedule ${s.id}`)]);
  const last = w.row - 1;
  if (!s.totals) return;
  const cells: (Cell | undefined)[] = Array.from({ length: width }, () => undefined);
  cells[0] = { v: 'Total', bold: true };
  cols.forEach((c, i) => {
    if (i === 0 || !(c.key in s.totals!)) return;
    const t = s.totals![c.key];
    const numeric = c.kind === 'money' || c.kind === 'count' || c.kind === 'hours';
    const values = s.rows.map((r) => r.cells[c.key]);
    const allNum = values.every((x) => typeof x === 'number');
    const sum = values.reduce<number>((a, x) => a + (typeof x === 'number' ? x : 0), 0);
    const range = `${col(i + 1)}${first}:${col(i + 1)}${last}`;
    // a live SUM when the engine's total is the sum of the rows (or both are unknown)
    if (numeric && s.rows.length && ((typeof t === 'number' && allNum && Math.abs(t - sum) < 1e-9) || (t === null && !allNum)))
      cells[i] = formula(guardedSum(range, s.rows.length), t === null ? UNKNOWN : c.kind === 'money' ? t / 100 : t, fmtOf(c.kind));
    else cells[i] = cellOf(c.kind, t);
  });
  w.add(cells, { bold: true, topBorder: true });
}

// ---------------------------------------------------------------------------------------------
// Forms

const FORM_SHEETS: Record<string, string> = { f6765: 'Form 6765', f8974: 'Form 8974', 'id-67': 'Idaho Form 67', id67: 'Idaho Form 67' };

/**
 * Lines a calc needs that the engine's form does not carry: Form 6765 item A (the §280C(c)
 * election) comes from the engine's chosen election when the credit is decided.
 */
export function supplementaryLines(result: StudyResult, form: FormResult): Record<string, { value: CalcValue; label: string; note: string }> {
  const out: Record<string, { value: CalcValue; label: string; note: string }> = {};
  if (form.id === 'f6765' && !('A' in form.lines)) {
    const decided = result.federal.credit.kind === 'known';
    out.A = {
      value: decided ? { kind: 'num', value: ratio(result.federal.chosen.section280c ? 1 : 0) } : { kind: 'unknown' },
      label: 'Are you electing the reduced credit under section 280C?',
      note: decided ? "the engine's chosen §280C(c) election" : 'not decided until the federal credit is known',
    };
  }
  return out;
}

function lineCell(kind: string | undefined, v: Val<LineValue>): Cell {
  if (v.kind === 'unknown') return val(UNKNOWN);
  if (v.kind === 'na') return val(NA);
  const x = v.value;
  if (typeof x === 'boolean') return val(x ? 1 : 0, FMT.flag);
  if (typeof x === 'object' && x !== null && 'num' in x) return val(Number(rateToDecimal(x as Rate, 10)), FMT.rate);
  if (typeof x === 'number') return kind === 'money' || kind === undefined ? money(x, FMT.dollars) : val(x, FMT.count);
  return txt(String(x));
}

function cachedOf(c: CalcValue, kind: string | undefined): string | number {
  if (c.kind === 'num') return kind === 'money' || kind === undefined ? Number(c.value.num) / Number(c.value.den) : Number(rateToDecimal(c.value, 10));
  return c.kind === 'na' ? NA : UNKNOWN;
}

function formSheet(ctx: Ctx, key: string, form: FormResult): void {
  const period = taxPeriod(ctx.result.study.period.start, ctx.result.study.period.end);
  let map: FormMap | undefined;
  try {
    map = ctx.law.form(form.id, period);
  } catch {
    map = undefined;
  }
  const name = sheetName(ctx.wb, FORM_SHEETS[form.id] ?? FORM_SHEETS[key] ?? form.title);
  const w = new SheetWriter(
    ctx.wb,
    name,
    `${form.title} (${form.revision})`,
    ctx.subtitle,
    [
      { header: 'Line', width: 7 },
      { header: 'Description', width: 60 },
      { header: 'Amount', width: 16 },
      { header: 'Calculation (form arithmetic)', width: 40 },
      { header: 'Status', width: 40 },
      { header: 'Source (rule and parameters)', width: 70 },
    ],
    'Lines with a calculation are live formulas over the lines they use (cached with the engine’s value); other lines are the engine’s inputs. Whole dollars.',
  );
  ctx.index.push({ sheet: name, what: `${form.title}: every line, formulas where the form does arithmetic`, source: `engine: forms.${key}; form map ${map ? `${map.form} ${map.revision}` : 'none'}` });

  const extra = supplementaryLines(ctx.result, form);
  const order = map ? [...Object.keys(map.lines).filter((k) => k in form.lines || k in extra), ...Object.keys(form.lines).filter((k) => !(k in map!.lines))] : Object.keys(form.lines);
  const cells = new Map<string, string>();
  let r = w.row;
  for (const k of order) cells.set(k, `C${r++}`);
  ctx.formCells.set(key, { sheet: name, cells });

  const extraVals = Object.fromEntries(Object.entries(extra).map(([k, e]) => [k, e.value]));
  const recon = new Map<string, LineReconciliation>();
  if (map) {
    const param = (id: string) => paramCalcValue(ctx.view, ctx.law.parameters.get(id)?.unit, id);
    for (const x of reconcileForm(form, map, param, extraVals)) recon.set(x.key, x);
  }
  const lineOf = (k: string): CalcValue => extraVals[k] ?? lineCalcValue(form.kinds[k] ?? map?.lines[k]?.kind, form.lines[k]);

  for (const k of order) {
    const v = form.lines[k];
    const kind = form.kinds[k] ?? map?.lines[k]?.kind;
    const label = form.labels[k] ?? map?.lines[k]?.label ?? extra[k]?.label ?? `line ${k}`;
    if (!v) {
      const e = extra[k]!;
      w.add([txt(k), txt(label), e.value.kind === 'num' ? val(Number(e.value.value.num), FMT.flag) : val(UNKNOWN), txt(''), txt(e.note), txt('workpaper: from the engine result (federal.chosen)')]);
      continue;
    }
    const rc = recon.get(k);
    let amount = lineCell(kind, v);
    let status = statusText(v);
    let calcText = rc?.calc ?? '';
    if (rc && rc.ast && v.kind !== 'na') {
      const usable = refsOf(rc.ast).lines.every((l) => cells.has(l)) && (rc.agrees === true || (rc.agrees === null && v.kind === 'unknown' && rc.computed.kind !== 'num'));
      if (usable) {
        try {
          const f = toExcel(rc.ast, { cellOf: (l) => cells.get(l), paramCell: (id) => paramCell(ctx, id), line: lineOf }, { money: kind === 'money' });
          amount = formula(f.formula, cachedOf(rc.engine, kind), kind === 'rate' ? FMT.rate : FMT.dollars);
        } catch (e) {
          status += `; formula not written: ${(e as Error).message}`;
        }
      } else if (rc.agrees === false) {
        status += '; the engine applied a special case, so the amount is its value, not the form arithmetic (see the explanation)';
        calcText += ' (not applied: see status)';
      }
    } else if (rc?.error) status += `; calc error: ${rc.error}`;
    w.add([txt(k), { v: label, wrap: false }, amount, txt(calcText), txt(status), txt(ruleText(v.why))]);
  }
}

/** The absolute cell of a parameter on the Parameters sheet (added on first use). */
function paramCell(ctx: Ctx, id: string): string {
  const hit = ctx.paramCells.get(id);
  if (hit) return hit;
  const ws = ctx.wb.getWorksheet(PARAMS_SHEET)!;
  const row = ctx.paramCells.size + 5;
  const def = ctx.law.parameters.get(id);
  if (!def) throw new Error(`unknown parameter ${id}`);
  const r = ctx.law.get(id, taxPeriod(ctx.result.study.period.start, ctx.result.study.period.end));
  const v = paramCalcValue(ctx.view, def.unit, id);
  const cells: (string | number)[] = [id, def.label, Number(rateToDecimal(v, 10)), def.unit, r.use.effectiveFrom, def.reference.map((c) => c.title + (c.pinpoint ? ` ${c.pinpoint}` : '')).join('; '), def.status];
  const xr = ws.getRow(row);
  cells.forEach((c, i) => (xr.getCell(i + 1).value = c));
  xr.getCell(3).numFmt = def.unit === 'rate' ? FMT.rate : def.unit === 'money' ? FMT.dollars : FMT.count;
  const addr = `${PARAMS_SHEET}!$C$${row}`;
  ctx.paramCells.set(id, addr);
  return addr;
}

// ---------------------------------------------------------------------------------------------
// Cover

function cover(ctx: Ctx, ws: ExcelJS.Worksheet, opts: WorkpaperOptions): void {
  const r = ctx.result;
  ws.columns = [{ width: 44 }, { width: 22 }, { width: 70 }];
  ws.getCell('A1').value = `Research credit workpapers — ${r.study.title}`;
  ws.getCell('A1').font = { bold: true, size: 14 };
  let row = 3;
  const kv = (k: string, v: ExcelJS.CellValue, fmt?: string, note?: string) => {
    ws.getCell(`A${row}`).value = k;
    ws.getCell(`A${row}`).font = { bold: true };
    ws.getCell(`B${row}`).value = v;
    if (fmt) ws.getCell(`B${row}`).numFmt = fmt;
    if (note) ws.getCell(`C${row}`).value = note;
    row++;
  };
  kv('Taxpayer', r.study.taxpayer);
  kv('EIN', r.study.ein ?? UNKNOWN);
  kv('Entity type', r.study.entityType.replace(/_/g, ' '));
  kv('Tax year', `${r.study.period.start} to ${r.study.period.end}`);
  kv('Study', r.study.id);
  if (opts.preparedBy) kv('Prepared by', opts.preparedBy);
  if (opts.preparedAt) kv('Prepared at', opts.preparedAt);
  row++;
  ws.getCell(`A${row++}`).value = 'Summary (live: each figure refers to its form line)';
  ws.getCell(`A${row - 1}`).font = { bold: true, size: 12 };
  const link = (formKey: string, line: string, label: string, v: Val<LineValue> | undefined) => {
    const f = ctx.formCells.get(formKey);
    const cell = f?.cells.get(line);
    if (!f || !cell || !v) return;
    const cached = v.kind === 'known' && typeof v.value === 'number' ? v.value / 100 : v.kind === 'na' ? NA : UNKNOWN;
    kv(label, { formula: qref(f.sheet, cell), result: cached } as ExcelJS.CellFormulaValue, FMT.dollars, `${f.sheet} line ${line}`);
  };
  const f6765 = r.forms.f6765;
  link('f6765', '48', 'Total qualified research expenses', f6765?.lines['48']);
  link('f6765', '28', 'Federal research credit (current year)', f6765?.lines['28']);
  const id67 = r.forms.id67;
  link('id67', '16', 'Idaho credit earned', id67?.lines['16']);
  link('id67', '27', 'Idaho credit allowed this year', id67?.lines['27']);
  kv('Federal method chosen', r.federal.credit.kind === 'known' ? `${r.federal.chosen.method === 'asc' ? 'ASC' : 'regular'}${r.federal.chosen.section280c ? ', §280C(c) reduced credit' : ''}` : 'not decided (credit unknown)', undefined, r.federal.comparison);
  row++;
  ws.getCell(`A${row++}`).value = 'Index';
  ws.getCell(`A${row - 1}`).font = { bold: true, size: 12 };
  for (const e of ctx.index) {
    ws.getCell(`A${row}`).value = { text: e.sheet, hyperlink: `#${qref(e.sheet, 'A1')}` };
    ws.getCell(`A${row}`).font = { color: { argb: 'FF1F4E99' }, underline: true };
    ws.getCell(`B${row}`).value = e.what;
    ws.getCell(`C${row}`).value = e.source;
    row++;
  }
  row++;
  ws.getCell(`A${row++}`).value = 'How to read these workpapers';
  ws.getCell(`A${row - 1}`).font = { bold: true, size: 12 };
  for (const t of [
    'Form lines are whole dollars; detail schedules are dollars and cents.',
    '"unknown" means an input is missing (listed in the Status column) — it is never a zero. "n/a" means the line is not used (e.g. Section A when the ASC is used).',
    'Formulas carry the engine’s value as their cached result; change an input cell and the dependent lines and totals recompute.',
    'Source columns name the file and row, the rule id and parameters, and the evidence-ledger entry of the file (ledger #seq, SHA-256).',
    'Parameters used by the formulas are on the Parameters sheet with their citations; changing one there recomputes the forms.',
  ]) {
    ws.getCell(`A${row++}`).value = t;
  }
  if (r.flags.length) {
    row++;
    ws.getCell(`A${row++}`).value = 'Open legal questions answered by an option (review)';
    ws.getCell(`A${row - 1}`).font = { bold: true, size: 12 };
    for (const f of r.flags) {
      ws.getCell(`A${row}`).value = f.option;
      ws.getCell(`B${row}`).value = `${f.chosen}${f.isDefault ? ' (default)' : ''}`;
      ws.getCell(`C${row}`).value = f.message;
      row++;
    }
  }
  if (r.missing.length) {
    row++;
    ws.getCell(`A${row++}`).value = `Missing information (${r.missing.length})`;
    ws.getCell(`A${row - 1}`).font = { bold: true, size: 12 };
    for (const m of r.missing) ws.getCell(`A${row++}`).value = m;
  }
}

/** Builds the workbook and returns the .xlsx bytes. */
export async function writeWorkpapers(result: StudyResult, study: Study, opts: WorkpaperOptions): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = opts.preparedBy ?? 'rdcredit';
  const stamp = new Date(`${opts.preparedAt ?? result.study.period.end}`.slice(0, 10) + 'T00:00:00Z');
  wb.created = stamp;
  wb.modified = stamp;
  wb.calcProperties.fullCalcOnLoad = true;
  const period = taxPeriod(result.study.period.start, result.study.period.end);
  const ctx: Ctx = {
    wb,
    result,
    study,
    law: opts.law,
    view: opts.law.for(period, study.elections.options ?? {}),
    ledger: new Map((opts.ledger ?? []).map((e) => [e.sha256, e])),
    subtitle: `${result.study.taxpayer}${result.study.ein ? ` (EIN ${result.study.ein})` : ''} — tax year ${result.study.period.start} to ${result.study.period.end}`,
    index: [],
    paramCells: new Map(),
    formCells: new Map(),
  };
  const coverWs = wb.addWorksheet('Cover');
  const params = new SheetWriter(wb, PARAMS_SHEET, 'Law parameters used by the formulas', ctx.subtitle, [
    { header: 'Parameter', width: 48 },
    { header: 'Label', width: 50 },
    { header: 'Value', width: 12 },
    { header: 'Unit', width: 8 },
    { header: 'In force from', width: 12 },
    { header: 'Reference', width: 60 },
    { header: 'Status (P/S/U)', width: 8 },
  ]);
  // forms first in the index (they are what the return carries), schedules after
  for (const [key, f] of Object.entries(result.forms)) formSheet(ctx, key, f);
  categoriesSheet(ctx);
  employeesSheet(ctx);
  componentsSheet(ctx);
  statesSheet(ctx);
  suppliesSheet(ctx);
  computersSheet(ctx);
  contractsSheet(ctx);
  for (const s of Object.values(result.schedules ?? {})) scheduleSheet(ctx, s);
  if (opts.qualification) qualificationSheet(ctx, opts.qualification);
  evidenceSheet(ctx);
  (params.ws as unknown as { orderNo: number }).orderNo = 1_000_000; // written first (the forms add their parameters to it), shown last
  // the Parameters sheet was filled while the form sheets were written (paramCell); move it after them
  ctx.index.push({ sheet: PARAMS_SHEET, what: 'Rates and amounts of the law the formulas use, with citations', source: 'law/**/*.yaml' });
  cover(ctx, coverWs, opts);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
