/**
 * Pass-through entities and their owners — the public surface (issue 8).
 *
 *   computePassThrough(law, input)
 *     = passThroughEntity   (Form 6765 lines 29–36 at the entity, Schedule K / K-1 reporting)
 *     + allocateToOwners    (tiers, §41(g) for individuals, §38(c) for C corporations, §39 by vintage)
 *     + ownerSchedule       (the "owners" schedule for the report and the workpapers)
 *
 * `ownerShares` (passthrough-shares.ts) is the one split of an amount among owners; the Idaho flow
 * (Form 67 line 20 → owners' line 17) should use it so that both give each owner the same share.
 */
import type { Citation, Explanation, ReviewFlag, Val } from '../../explain/index.js';
import { collectFlags } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import { formatCents, formatRate, type Cents } from '../../money/index.js';
import type { TaxPeriod } from '../../periods/index.js';
import { cite } from './citations.js';
import type { EntityType } from './gross-receipts-tests.js';
import type { SectionDResult } from './payroll.js';
import { passThroughEntity, type CreditReceived, type PassThroughEntityResult } from './passthrough-entity.js';
import { allocateToOwners, type OwnerAllocation, type OwnerAllocationResult, type OwnerInput } from './passthrough-owners.js';
import type { OwnerSharesOptions } from './passthrough-shares.js';

export * from './passthrough-shares.js';
export * from './passthrough-entity.js';
export * from './passthrough-owners.js';

/** The schedule shape of `StudyResult.schedules` (src/study/compute/result.ts), copied: rules may not import study. */
export type CellValue = string | number | boolean | null;
export interface ScheduleColumn {
  key: string;
  label: string;
  kind: 'money' | 'rate' | 'text' | 'count' | 'hours' | 'date' | 'flag';
}
export interface ScheduleRow {
  cells: Record<string, CellValue>;
  source?: string;
}
export interface Schedule {
  id: string;
  title: string;
  citation: Citation[];
  columns: ScheduleColumn[];
  rows: ScheduleRow[];
  totals?: Record<string, CellValue>;
  notes?: string[];
}

export const OWNER_SCHEDULE_ID = 'owners';

const TREATMENT_TEXT: Record<OwnerAllocation['treatment'], string> = {
  passes_through: 'passes to its owners',
  section_41g: '§41(g)',
  section_38c: '§38(c)',
  retained_by_entity: 'kept by the estate or trust (line 32)',
  not_computed: 'not computed',
};

/** A money cell: cents when known, null when unknown; absent (printed "—") when not applicable. */
function money(cells: Record<string, CellValue>, key: string, v: Val<Cents>): void {
  if (v.kind === 'known') cells[key] = v.value;
  else if (v.kind === 'unknown') cells[key] = null;
}

/** The owner schedule: one row per owner at every tier. */
export function ownerSchedule(entityName: string, result: OwnerAllocationResult, extraNotes: string[] = []): Schedule {
  const rows: ScheduleRow[] = result.rows.map((r) => {
    const cells: Record<string, CellValue> = {
      owner: r.pathText,
      entityType: r.entityType.replace(/_/g, ' '),
      share: r.share ? formatRate(r.share) : null,
      basis: r.basis,
      limitation: TREATMENT_TEXT[r.treatment],
    };
    money(cells, 'allocated', r.allocated);
    money(cells, 'limit', r.limit);
    money(cells, 'allowed', r.allowed);
    money(cells, 'carried', r.carried);
    money(cells, 'carriedBack', r.carriedBack);
    if (r.carryforward.kind === 'known') cells.carryforward = r.carryforward.value.map((v) => `${v.vintage}: ${formatCents(v.amount)}`).join('; ') || 'none';
    else if (r.carryforward.kind === 'unknown') cells.carryforward = null;
    if (r.received) cells.received = r.received;
    return { cells, source: r.treatment === 'passes_through' ? 'us.federal.passthrough.owners' : r.treatment === 'section_41g' ? 'us.federal.irc41g.limitation' : 'us.federal.irc38.limitation' };
  });
  // Totals over the owners who keep the credit (a tier that passes it on would count it twice).
  const keepers = result.rows.filter((r) => r.treatment !== 'passes_through');
  const total = (pick: (r: OwnerAllocation) => Val<Cents>, rs: OwnerAllocation[]): CellValue => {
    let t = 0;
    for (const r of rs) {
      const v = pick(r);
      if (v.kind === 'unknown') return null;
      if (v.kind === 'known') t += v.value;
    }
    return t;
  };
  const owners = keepers.filter((r) => r.treatment !== 'retained_by_entity');
  return {
    id: OWNER_SCHEDULE_ID,
    title: `${entityName}: research credit allocated to owners`,
    citation: [cite.USC('41', '(f)(2)'), cite.USC('41', '(g)'), cite.USC('39', '(a)'), cite.form('Form 6765 (Rev. December 2024), lines 29–32'), cite.form('Schedule K-1')],
    columns: [
      { key: 'owner', label: 'Owner (path)', kind: 'text' },
      { key: 'entityType', label: 'Entity type', kind: 'text' },
      { key: 'share', label: 'Share', kind: 'rate' },
      { key: 'basis', label: 'Basis of the share', kind: 'text' },
      { key: 'received', label: 'Reported on', kind: 'text' },
      { key: 'allocated', label: 'Credit allocated', kind: 'money' },
      { key: 'limitation', label: 'Limitation', kind: 'text' },
      { key: 'limit', label: '§41(g) / §38(c) limit', kind: 'money' },
      { key: 'allowed', label: 'Allowed', kind: 'money' },
      { key: 'carried', label: 'Carried (§39)', kind: 'money' },
      { key: 'carriedBack', label: 'of which carried back', kind: 'money' },
      { key: 'carryforward', label: 'Carried forward by vintage', kind: 'text' },
    ],
    rows,
    totals: {
      allocated: total((r) => r.allocated, keepers),
      allowed: total((r) => r.allowed, owners),
      carried: total((r) => r.carried, owners),
    },
    notes: [
      'Totals count only the owners who keep the credit; a tier that passes it on is not added again.',
      'A blank (—) cell does not apply to the row; "unknown" means an input is missing.',
      ...extraNotes,
      ...result.rows.flatMap((r) => r.notes.map((n) => `${r.pathText}: ${n}`)),
      ...(result.missing.length ? [`Missing: ${result.missing.join('; ')}`] : []),
    ],
  };
}

export interface PassThroughInput {
  period: TaxPeriod;
  /** The study's chosen options (elections.options). */
  options?: Readonly<Record<string, string>>;
  name: string;
  entityType: EntityType;
  /** `computeFederalCredit(...).credit` (Form 6765 line 28). */
  line28: Val<Cents>;
  /** `computeFederalCredit(...).chosen?.section280c`. */
  section280c?: boolean;
  /** Research credits received on Schedules K-1 (line 29). */
  creditsReceived?: readonly CreditReceived[];
  /** `sectionD(...)` for the entity, or undefined when no payroll election. */
  sectionD?: Val<SectionDResult>;
  /** `study.taxpayer.owners` (beneficiaries for an estate or trust). */
  owners: readonly OwnerInput[];
  /** 'cent' (default) or 'dollar' (K-1 amounts in whole dollars), at every tier. */
  unit?: OwnerSharesOptions['unit'];
}

export interface PassThroughResult {
  entity: Val<PassThroughEntityResult>;
  /** Undefined when the entity does not pass the credit through. */
  owners?: OwnerAllocationResult;
  schedule?: Schedule;
  missing: string[];
  flags: ReviewFlag[];
  why: Explanation[];
}

/** Entity lines 29–36, the split among owners at every tier, their limitations, and the owner schedule. */
export function computePassThrough(law: Law, input: PassThroughInput): PassThroughResult {
  const view = law.for(input.period, input.options ?? {});
  const entity = passThroughEntity(view, {
    entityType: input.entityType,
    name: input.name,
    line28: input.line28,
    ...(input.section280c !== undefined ? { section280c: input.section280c } : {}),
    ...(input.creditsReceived ? { creditsReceived: input.creditsReceived } : {}),
    ...(input.sectionD ? { sectionD: input.sectionD } : {}),
    beneficiaries: input.owners,
    ...(input.unit ? { unit: input.unit } : {}),
  });
  if (entity.kind !== 'known') return { entity, missing: entity.kind === 'unknown' ? entity.missing : [], flags: collectFlags(entity.why), why: [entity.why] };
  const owners = allocateToOwners(law, {
    period: input.period,
    ...(input.options ? { options: input.options } : {}),
    entity: { name: input.name, entityType: input.entityType },
    amount: entity.value.apportionable,
    owners: input.owners,
    ...(input.unit ? { unit: input.unit } : {}),
  });
  const schedule = ownerSchedule(input.name, owners, entity.value.notes);
  const missing = [...new Set([...(entity.value.toOwners.kind === 'unknown' ? entity.value.toOwners.missing : []), ...owners.missing])];
  const flagMap = new Map<string, ReviewFlag>();
  collectFlags(entity.why, flagMap);
  collectFlags(owners.why, flagMap);
  for (const r of owners.rows) for (const v of [r.allocated, r.limit, r.allowed]) collectFlags(v.why, flagMap);
  return { entity, owners, schedule, missing, flags: [...flagMap.values()], why: [entity.why, owners.why] };
}
