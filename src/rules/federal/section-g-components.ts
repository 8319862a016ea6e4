/**
 * Form 6765 Section G rows (lines 49–56) — federal.md §11 Section G [S/U].
 *
 * Selection: business components in descending order of total QREs (ties: component id
 * ascending, code-unit order), listed one by one until at least 80% of total QREs is covered
 * (option `us.forms.f6765.section_g.stopping_rule`: `at_least` stops at the first component at
 * which the running total is ≥ 80%, `more_than` needs > 80%), but never more than 50; every
 * other component goes into one aggregated "all other" row. With no QREs at all, nothing is
 * listed. Zero-QRE components are never needed to reach the coverage and so end in the
 * aggregate row.
 *
 * Columns: 50 direct research wages, 51 direct supervision wages, 52 direct support wages,
 * 53 = 50 + 51 + 52, 54 supplies, 55 computer rental, 56 applicable contract research — this
 * engine also puts the applicable basic research payments in 56 ("see instructions for basic
 * research payments"), so that column 56 reconciles to Section F line 47 (= 45 + 46).
 *
 * Reconciliation with Section F, in exact cents before form rounding: 53 ↔ 42, 54 ↔ 43,
 * 55 ↔ 44, 56 ↔ 47, and the row total ↔ 48.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { add, formatCents, moneyRatio, RATE_ONE, RATE_ZERO, sub, ZERO, type Cents, type Rate } from '../../money/index.js';
import { cite } from './citations.js';

export const RULE_SECTION_G_SELECT = 'us.forms.f6765.section_g.selection';
export const RULE_SECTION_G_TABLE = 'us.forms.f6765.section_g.table';
export const RULE_SECTION_G_RECONCILE = 'us.forms.f6765.section_g.reconciliation';

const SECTION_G_CITES = [cite.form('Form 6765 (Rev. December 2024), Section G, lines 49–56'), cite.form('Instructions for Form 6765 (Rev. December 2025), Section G')];

export interface ComponentQre {
  id: string;
  /** Total QREs of the component (line 53 + 54 + 55 + 56); undefined = unknown. */
  qre: Cents | undefined;
}

export interface SectionGSelection {
  total: Cents;
  /** Listed components, largest first. */
  listed: { id: string; qre: Cents; rank: number }[];
  /** Components reported in the aggregated "all other" row, in the same order. */
  aggregated: { ids: string[]; qre: Cents };
  /** Share of total QREs in the listed rows (1 when there are no QREs). */
  coveredShare: Rate;
  /** True when the 50-component cap stopped the list before the coverage was reached. */
  capped: boolean;
}

/** Orders components for Section G: QREs descending, then id ascending. */
export function sectionGOrder<T extends { id: string; qre: Cents }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => (a.qre !== b.qre ? b.qre - a.qre : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Which components Section G lists one by one and which it aggregates. */
export function selectSectionGComponents(view: LawView, comps: readonly ComponentQre[]): Val<SectionGSelection> {
  const ex = explainer(RULE_SECTION_G_SELECT, 'Form 6765 Section G: business components listed', SECTION_G_CITES);
  const missing = comps.filter((c) => c.qre === undefined).map((c) => `components.${c.id}.qre`);
  if (missing.length) return ex.unknown(missing);
  const seen = new Set<string>();
  for (const c of comps) {
    if (seen.has(c.id)) throw new RangeError(`component ${c.id} listed twice`);
    seen.add(c.id);
    if (c.qre! < 0) return ex.unknown([`components.${c.id}.qre: negative`]);
  }
  const frac = view.rate(ex, 'us.forms.f6765.section_g.coverage_fraction');
  const max = view.count(ex, 'us.forms.f6765.section_g.max_listed_components');
  const rule = view.option(ex, 'us.forms.f6765.section_g.stopping_rule');
  const sorted = sectionGOrder(comps.map((c) => ({ id: c.id, qre: c.qre! })));
  const total = sorted.reduce((t, c) => add(t, c.qre), ZERO);
  const T = BigInt(total);
  const covered = (cum: Cents): boolean => {
    const l = BigInt(cum) * frac.den;
    const r = T * frac.num;
    return rule === 'more_than' ? l > r : l >= r;
  };
  const listed: SectionGSelection['listed'] = [];
  let cum = ZERO;
  let capped = false;
  if (total > 0) {
    for (const c of sorted) {
      if (covered(cum)) break;
      if (listed.length >= max) {
        capped = true;
        break;
      }
      listed.push({ id: c.id, qre: c.qre, rank: listed.length + 1 });
      cum = add(cum, c.qre);
    }
  }
  const rest = sorted.slice(listed.length);
  const aggregated = { ids: rest.map((c) => c.id), qre: sub(total, cum) };
  const coveredShare = total === 0 ? RATE_ONE : cum === 0 ? RATE_ZERO : moneyRatio(cum, total);
  ex.input('total QREs', total).input('components', comps.length, undefined, 'count').input('listed', listed.length, undefined, 'count');
  ex.formula(`descending QREs until ${rule === 'more_than' ? 'more than' : 'at least'} the coverage share of total QREs, at most ${max} components; the rest aggregated`);
  if (capped) ex.note(`The ${max}-component cap was reached before the coverage share; ${rest.length} components are aggregated.`);
  if (total === 0) ex.note('No QREs: no component is listed.');
  return ex.known({ total, listed, aggregated, coveredShare, capped }, `${listed.length} listed, ${rest.length} aggregated`);
}

/** Money columns of a Section G row (line 53 is derived). */
export interface SectionGColumns {
  line50: Cents;
  line51: Cents;
  line52: Cents;
  line54: Cents;
  line55: Cents;
  /** Applicable contract research, plus applicable basic research payments (see the module note). */
  line56: Cents;
}

export interface SectionGRowTotals extends SectionGColumns {
  line53: Cents;
  total: Cents;
}

export interface SectionGComponentInput {
  id: string;
  /** 49(a) EIN of the controlled-group member conducting the research. */
  memberEin?: string;
  /** 49(b) principal business activity code of that member. */
  activityCode?: string;
  /** 49(c) name or unique identifier. */
  name?: string;
  /** 49(d) type (option list UNVERIFIED; passed through). */
  type?: string;
  /** 49(e) software class (option list UNVERIFIED; passed through). */
  softwareClass?: string;
  /** 49(f) information sought to be discovered. */
  informationSought?: string;
  columns: SectionGColumns;
}

export interface SectionGRow extends SectionGRowTotals {
  componentId: string;
  rank: number;
  info: Omit<SectionGComponentInput, 'columns' | 'id'>;
}

export interface SectionFTotals {
  line42: Cents;
  line43: Cents;
  line44: Cents;
  line45: Cents;
  line46: Cents;
}

export interface ReconciliationDifference {
  sectionGLine: string;
  sectionFLine: string;
  sectionG: Cents;
  sectionF: Cents;
  /** Section G minus Section F. */
  difference: Cents;
}

export interface SectionGReconciliation {
  ok: boolean;
  differences: ReconciliationDifference[];
}

export interface SectionGTable {
  selection: SectionGSelection;
  rows: SectionGRow[];
  /** The aggregated "all other" row, with how many components it holds (null when empty). */
  aggregate: (SectionGRowTotals & { componentCount: number; componentIds: string[] }) | null;
  totals: SectionGRowTotals;
  reconciliation?: SectionGReconciliation;
}

export function rowTotals(c: SectionGColumns): SectionGRowTotals {
  const line53 = add(c.line50, c.line51, c.line52);
  return { ...c, line53, total: add(line53, c.line54, c.line55, c.line56) };
}

function sumColumns(cs: readonly SectionGColumns[]): SectionGRowTotals {
  const z: SectionGColumns = { line50: ZERO, line51: ZERO, line52: ZERO, line54: ZERO, line55: ZERO, line56: ZERO };
  for (const c of cs) for (const k of Object.keys(z) as (keyof SectionGColumns)[]) z[k] = add(z[k], c[k]);
  return rowTotals(z);
}

/** Compares Section G column totals with Section F lines; every mismatch is listed. */
export function reconcileSectionG(g: SectionGRowTotals, f: SectionFTotals): SectionGReconciliation {
  const line47 = add(f.line45, f.line46);
  const line48 = add(f.line42, f.line43, f.line44, line47);
  const pairs: [string, string, Cents, Cents][] = [
    ['53', '42', g.line53, f.line42],
    ['54', '43', g.line54, f.line43],
    ['55', '44', g.line55, f.line44],
    ['56', '47', g.line56, line47],
    ['total', '48', g.total, line48],
  ];
  const differences = pairs.filter(([, , a, b]) => a !== b).map(([gl, fl, a, b]) => ({ sectionGLine: gl, sectionFLine: fl, sectionG: a, sectionF: b, difference: sub(a, b) }));
  return { ok: differences.length === 0, differences };
}

/**
 * Section G as reported: selected rows with their columns, the aggregated row, column totals, and
 * (when Section F totals are given) the reconciliation.
 */
export function buildSectionG(view: LawView, comps: readonly SectionGComponentInput[], sectionF?: SectionFTotals): Val<SectionGTable> {
  const ex = explainer(RULE_SECTION_G_TABLE, 'Form 6765 Section G', SECTION_G_CITES);
  for (const c of comps) for (const [k, v] of Object.entries(c.columns)) if ((v as number) < 0) return ex.unknown([`components.${c.id}.${k}: negative`]);
  const byId = new Map(comps.map((c) => [c.id, c]));
  const sel = ex.child(selectSectionGComponents(view, comps.map((c) => ({ id: c.id, qre: rowTotals(c.columns).total }))));
  if (sel.kind !== 'known') return sel.kind === 'unknown' ? ex.unknown(sel.missing) : ex.na(sel.reason);
  const rows: SectionGRow[] = sel.value.listed.map((l) => {
    const { columns, id, ...info } = byId.get(l.id)!;
    return { componentId: id, rank: l.rank, info, ...rowTotals(columns) };
  });
  const aggIds = sel.value.aggregated.ids;
  const aggregate = aggIds.length ? { ...sumColumns(aggIds.map((id) => byId.get(id)!.columns)), componentCount: aggIds.length, componentIds: aggIds } : null;
  const totals = sumColumns(comps.map((c) => c.columns));
  const table: SectionGTable = { selection: sel.value, rows, aggregate, totals };
  if (sectionF) {
    table.reconciliation = reconcileSectionG(totals, sectionF);
    for (const d of table.reconciliation.differences)
      ex.note(`Section G line ${d.sectionGLine} total ${formatCents(d.sectionG)} differs from Section F line ${d.sectionFLine} ${formatCents(d.sectionF)} by ${formatCents(d.difference)}.`);
    if (table.reconciliation.ok) ex.note('Section G column totals agree with Section F.');
  }
  ex.formula('rows = listed components; aggregate = the rest; totals = rows + aggregate');
  return ex.known(table, `total QREs ${formatCents(totals.total)}`);
}
