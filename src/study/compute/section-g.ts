/**
 * Form 6765 Section G from the study: whether it is required, each qualifying component's wages
 * split into direct research / supervision / support (lines 50–52) from the time records, the
 * other QRE columns (54–56) from the same per-line rules as Section F, the listing order and the
 * "all other" aggregate, and the reconciliation of the column totals to Section F.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { ZERO, type Cents } from '../../money/cents.js';
import { rateToDecimal } from '../../money/rate.js';
import { buildSectionG, type SectionFTotals, type SectionGTable } from '../../rules/federal/section-g-components.js';
import { sectionGRequirement, type SectionGRequirement } from '../../rules/federal/section-g-requirement.js';
import { spreadEmployeeWages, wageColumnsByComponent, type SectionGWageCell } from '../../rules/federal/section-g-wages.js';
import type { Study } from '../model.js';
import type { ComponentBreakdown } from './breakdown.js';
import type { Schedule, ScheduleRow } from './result.js';
import { section3401Wages } from './wages.js';

export interface SectionGResult {
  requirement: Val<SectionGRequirement>;
  table: Val<SectionGTable>;
  schedule?: Schedule;
}

export function computeSectionG(
  view: LawView,
  study: Study,
  comps: ComponentBreakdown[],
  sectionF: Partial<Record<'42' | '43' | '44' | '45' | '46' | '48', Val<Cents>>>,
  payrollElected: boolean | undefined,
): SectionGResult {
  const l48 = sectionF['48'];
  const requirement = sectionGRequirement(view, {
    qsbPayrollElection: payrollElected,
    groupQres: l48?.kind === 'known' ? l48.value : undefined,
    grossReceipts: study.grossReceipts,
    originalReturn: study.taxFacts.originalReturn,
  });

  const qualifying = new Set(study.components.filter((c) => c.qualification === 'qualifies').map((c) => c.id));
  const cells: SectionGWageCell[] = [];
  const missing: string[] = [];
  const byEmp = new Map<string, Study['time']>();
  for (const t of study.time) {
    const l = byEmp.get(t.employeeId);
    if (l) l.push(t);
    else byEmp.set(t.employeeId, [t]);
  }
  for (const e of study.employees) {
    const time = (byEmp.get(e.id) ?? []).map((t) => ({
      componentId: t.componentId,
      activity: t.componentId !== undefined && qualifying.has(t.componentId) ? t.activity : ('non_qualified' as const),
      hours: t.hours,
    }));
    if (!time.some((t) => t.activity !== 'non_qualified')) continue;
    const spread = spreadEmployeeWages(view, { employeeId: e.id, wages: section3401Wages(e), ...(e.wotcWages !== undefined ? { wotcWages: e.wotcWages } : {}), time });
    if (spread.kind === 'known') cells.push(...spread.value.cells);
    else if (spread.kind === 'unknown') missing.push(...spread.missing);
  }
  const ex = explainer('study.section_g', 'Form 6765 Section G from the study', []);
  if (missing.length) return { requirement, table: ex.unknown(missing) };

  const wageCols = wageColumnsByComponent(cells);
  const breakdown = new Map(comps.map((c) => [c.componentId, c]));
  const member = new Map((study.taxpayer.groupMembers ?? []).map((m) => [m.id, m]));
  const inputs = study.components
    .filter((c) => qualifying.has(c.id))
    .map((c) => {
      const w = wageCols.get(c.id);
      const b = breakdown.get(c.id);
      const m = c.memberId ? member.get(c.memberId) : undefined;
      const ein = m?.ein ?? study.taxpayer.ein;
      const code = m?.activityCode ?? study.taxpayer.activityCode;
      return {
        id: c.id,
        name: c.name,
        type: c.type,
        ...(c.softwareClass ? { softwareClass: c.softwareClass } : {}),
        ...(c.informationSought ? { informationSought: c.informationSought } : {}),
        ...(ein ? { memberEin: ein } : {}),
        ...(code ? { activityCode: code } : {}),
        columns: {
          line50: w?.line50 ?? ZERO,
          line51: w?.line51 ?? ZERO,
          line52: w?.line52 ?? ZERO,
          line54: b?.supplies ?? ZERO,
          line55: b?.computers ?? ZERO,
          line56: b?.contract ?? ZERO,
        },
      };
    });
  const f: SectionFTotals | undefined = (['42', '43', '44', '45', '46'] as const).every((k) => sectionF[k]?.kind === 'known')
    ? {
        line42: (sectionF['42'] as { value: Cents }).value,
        line43: (sectionF['43'] as { value: Cents }).value,
        line44: (sectionF['44'] as { value: Cents }).value,
        line45: (sectionF['45'] as { value: Cents }).value,
        line46: (sectionF['46'] as { value: Cents }).value,
      }
    : undefined;
  if (!f) {
    // A Section F total is unknown: the component columns would be partial, so Section G is unknown too
    const miss = (['42', '43', '44', '45', '46'] as const).flatMap((k) => (sectionF[k]?.kind === 'unknown' ? (sectionF[k] as { missing: string[] }).missing : []));
    return { requirement, table: ex.unknown(miss.length ? miss : ['Section F totals (lines 42–46)']) };
  }
  const table = buildSectionG(view, inputs, f);
  if (table.kind !== 'known') return { requirement, table };
  const t = table.value;
  const money = ['line50', 'line51', 'line52', 'line53', 'line54', 'line55', 'line56', 'total'] as const;
  const rows: ScheduleRow[] = t.rows.map((r) => ({
    cells: {
      rank: r.rank,
      ein: r.info.memberEin ?? null,
      activityCode: r.info.activityCode ?? null,
      name: r.info.name ?? r.componentId,
      type: r.info.type ?? null,
      softwareClass: r.info.softwareClass ?? null,
      informationSought: r.info.informationSought ?? null,
      ...Object.fromEntries(money.map((k) => [k, r[k]])),
    },
    source: `component ${r.componentId}`,
  }));
  if (t.aggregate)
    rows.push({
      cells: {
        rank: null,
        ein: null,
        activityCode: null,
        name: `All other business components (${t.aggregate.componentCount})`,
        type: null,
        softwareClass: null,
        informationSought: null,
        ...Object.fromEntries(money.map((k) => [k, t.aggregate![k]])),
      },
      source: `components ${t.aggregate.componentIds.join(', ')}`,
    });
  const req = requirement.kind === 'known' ? `${requirement.value.reason.replace(/^./, (c) => c.toUpperCase())}${requirement.value.status === 'exempt' ? ' (exempt)' : ''}` : 'Whether Section G is required is unknown';
  const schedule: Schedule = {
    id: 'sectionG',
    title: 'Form 6765 Section G — business component information',
    citation: [{ title: 'Form 6765 (Rev. December 2024), Section G' }, { title: 'Instructions for Form 6765 (Rev. December 2025), Section G' }],
    columns: [
      { key: 'rank', label: 'Rank', kind: 'count' },
      { key: 'ein', label: '49(a) EIN', kind: 'text' },
      { key: 'activityCode', label: '49(b) Activity code', kind: 'text' },
      { key: 'name', label: '49(c) Business component', kind: 'text' },
      { key: 'type', label: '49(d) Type', kind: 'text' },
      { key: 'softwareClass', label: '49(e) Software', kind: 'text' },
      { key: 'informationSought', label: '49(f) Information sought to be discovered', kind: 'text' },
      { key: 'line50', label: '50 Direct research wages', kind: 'money' },
      { key: 'line51', label: '51 Direct supervision wages', kind: 'money' },
      { key: 'line52', label: '52 Direct support wages', kind: 'money' },
      { key: 'line53', label: '53 Total wages', kind: 'money' },
      { key: 'line54', label: '54 Supplies', kind: 'money' },
      { key: 'line55', label: '55 Computer rental', kind: 'money' },
      { key: 'line56', label: '56 Contract research', kind: 'money' },
      { key: 'total', label: 'Total QREs', kind: 'money' },
    ],
    rows,
    totals: Object.fromEntries(money.map((k) => [k, t.totals[k]])),
    notes: [
      `${req}.`,
      `Listed: ${t.rows.length} component(s) covering ${rateToDecimal(t.selection.coveredShare, 4)} of QREs${t.selection.capped ? ' (stopped at the 50-component cap)' : ''}.`,
      ...(t.reconciliation ? [t.reconciliation.ok ? 'Column totals agree with Section F.' : `Differences with Section F: ${t.reconciliation.differences.map((d) => `line ${d.sectionGLine} vs ${d.sectionFLine}: ${d.difference}`).join('; ')}`] : []),
    ],
  };
  return { requirement, table, schedule };
}
