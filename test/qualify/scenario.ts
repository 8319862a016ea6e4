/**
 * Scenario studies for qualification as readable YAML (test/qualify/scenarios/*.yaml): the facts
 * of a seed case study or a court case, the interview answers, and what must come out (each
 * component must qualify / must not / needs information, and named readiness checks).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Activity, EvidenceKind, Location, Study } from '../../src/study/model.js';
import { isoDate } from '../../src/periods/index.js';
import { emptyStudy } from '../support/study.js';

const Result = z.enum(['qualifies', 'does_not_qualify', 'needs_information']);
const Check = z.enum(['pass', 'warn', 'fail', 'na']);
const AnswerSpec = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.strictObject({ value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]), evidence: z.array(z.string()) })]);

const ScenarioSchema = z.strictObject({
  name: z.string(),
  source: z.string().min(10),
  facts: z.string().optional(),
  /** Anchors shared by several interviews in the file (YAML merge keys); not read otherwise. */
  common: z.unknown().optional(),
  period: z.union([z.number().int(), z.strictObject({ start: z.string(), end: z.string() })]),
  states: z.array(z.string()).optional(),
  /** Problems the report must list (each a substring of one problem's message), when the scenario has some on purpose. */
  expectProblems: z.array(z.string()).optional(),
  expect: z.record(
    z.string(),
    z.strictObject({
      result: Result.optional(),
      why: z.string().min(10),
      shrinkBackTo: z.string().nullable().optional(),
      share: z.string().optional(),
      checks: z.record(z.string(), Check).optional(),
      failingTests: z.array(z.string()).optional(),
      excludedBy: z.array(z.string()).optional(),
    }),
  ),
  components: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      type: z.enum(['product', 'process', 'software', 'technique', 'formula', 'invention']),
      softwareClass: z.enum(['non_ius', 'ius', 'dual_function', 'excepted']).optional(),
      parentId: z.string().optional(),
      informationSought: z.string().optional(),
      commercialProductionDate: z.string().optional(),
      recorded: Result.optional(),
    }),
  ),
  employees: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      role: z.enum(['researcher', 'engineer', 'scientist', 'technician', 'manager', 'executive', 'support', 'other']),
      officer: z.boolean().optional(),
    }),
  ),
  time: z.array(
    z.strictObject({
      employee: z.string(),
      component: z.string().optional(),
      activity: z.enum(['direct_research', 'direct_supervision', 'direct_support', 'non_qualified']),
      hours: z.number().positive(),
      experimentation: z.boolean().optional(),
      date: z.string().optional(),
      location: z.string().optional(),
      basis: z.enum(['time_entries', 'survey', 'estimate']).optional(),
    }),
  ),
  evidence: z
    .array(
      z.strictObject({
        id: z.string(),
        kind: z.string(),
        title: z.string(),
        date: z.string().optional(),
        captured: z.boolean().optional(),
        components: z.array(z.string()),
        employees: z.array(z.string()).optional(),
        outcome: z.enum(['success', 'failure', 'inconclusive']).optional(),
      }),
    )
    .optional(),
  interviews: z.record(z.string(), z.record(z.string(), AnswerSpec)).optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema> & { file: string };

function location(code: string): Location {
  const m = /^US-([A-Z]{2})$/.exec(code);
  if (m) return { country: 'US', state: m[1]! };
  if (/^[A-Z]{2}$/.test(code)) return { country: code };
  throw new Error(`location ${code}: write US-XX or a country code`);
}

export function scenarioStudy(s: Scenario): Study {
  const period = typeof s.period === 'number' ? { start: isoDate(`${s.period}-01-01`), end: isoDate(`${s.period}-12-31`) } : { start: isoDate(s.period.start), end: isoDate(s.period.end) };
  const base = emptyStudy();
  return emptyStudy({
    id: s.file,
    title: s.name,
    taxpayer: { ...base.taxpayer, period, states: s.states ?? [] },
    components: s.components.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      qualification: c.recorded ?? 'needs_information',
      ...(c.softwareClass ? { softwareClass: c.softwareClass } : {}),
      ...(c.parentId ? { parentId: c.parentId } : {}),
      ...(c.informationSought ? { informationSought: c.informationSought } : {}),
      ...(c.commercialProductionDate ? { commercialProductionDate: isoDate(c.commercialProductionDate) } : {}),
    })),
    employees: s.employees.map((e) => ({ id: e.id, name: e.name, role: e.role, officer: e.officer ?? false })),
    time: s.time.map((t) => ({
      employeeId: t.employee,
      activity: t.activity as Activity,
      hours: t.hours,
      ...(t.component ? { componentId: t.component } : {}),
      ...(t.experimentation !== undefined ? { experimentation: t.experimentation } : {}),
      ...(t.date ? { date: isoDate(t.date) } : {}),
      ...(t.location ? { location: location(t.location) } : {}),
      ...(t.basis ? { basis: t.basis } : {}),
    })),
    evidence: (s.evidence ?? []).map((e) => ({
      id: e.id,
      kind: e.kind as EvidenceKind,
      title: e.title,
      componentIds: e.components,
      employeeIds: e.employees ?? [],
      ...(e.date ? { claimedDate: isoDate(e.date) } : {}),
      // a captured item gets a content hash (of its id: the bytes themselves are not part of the fixture)
      ...(e.captured === false ? {} : { sha256: createHash('sha256').update(e.id).digest('hex') }),
      ...(e.outcome ? { outcome: e.outcome } : {}),
    })),
    interviews: Object.entries(s.interviews ?? {}).map(([componentId, answers]) => ({
      componentId,
      answers: Object.entries(answers).map(([question, a]) =>
        typeof a === 'object' && !Array.isArray(a) ? { question, value: a.value, evidenceIds: a.evidence } : { question, value: a },
      ),
    })),
  });
}

export function loadScenarios(dir: string): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ ...ScenarioSchema.parse(parse(readFileSync(join(dir, f), 'utf8'), { merge: true })), file: f }));
}

/** The content hashes a scenario's ledger holds: every captured item (a scenario describes a ledger that kept what it hashed). */
export function scenarioLedger(study: Study): Set<string> {
  return new Set((study.evidence ?? []).flatMap((e) => (e.sha256 ? [e.sha256] : [])));
}
