/**
 * MLflow runs and git commits (the importers' EvidenceRecord) → the study's EvidenceItem, each with
 * canonical content bytes that go into the evidence ledger (so each item has its own SHA-256).
 *
 * Links:
 * - components: the component map's evidence rules (experiment, tag, author, message patterns —
 *   e.g. a ticket key "/\bML-\d+/" mapped to a component) and references in the text: a component
 *   id written as a whole word in the commit message, run name, experiment or a run tag
 *   `rdcredit.component` (ids shorter than three characters count only as "[ID]" or "ID:" at the
 *   start of the message). Links to components the study does not have are dropped with a warning.
 * - employees: the author (commit "Name <email>", MLflow user) matched to an employee by the
 *   component map's `people:` section (name or e-mail), else by id, name or e-mail local part,
 *   case-insensitively.
 * Outcome: MLflow FINISHED → success; FAILED or KILLED → failure; RUNNING, SCHEDULED or abandoned →
 * inconclusive. A commit that was later reverted → failure (an attempt that did not work); a
 * revert → inconclusive; other commits have no outcome.
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../periods/date.js';
import type { EvidenceItem, Study } from '../study/model.js';
import { normalisePeople, personKey } from './people.js';
import type { Diagnostic, EvidenceRecord } from './types.js';

export interface EvidenceCapture {
  item: EvidenceItem;
  /** The bytes kept in the ledger for this item (canonical JSON of the record). */
  bytes: Uint8Array;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function referenced(text: string, ids: readonly string[]): string[] {
  return ids.filter((id) => {
    if (id.length >= 3) return new RegExp(`(^|[^A-Za-z0-9_-])${esc(id)}([^A-Za-z0-9_-]|$)`).test(text);
    return new RegExp(`\\[${esc(id)}\\]|^${esc(id)}:`, 'm').test(text);
  });
}

function outcomeOf(r: EvidenceRecord): EvidenceItem['outcome'] {
  if (r.kind === 'experiment_run') {
    if (r.status === 'finished') return 'success';
    if (r.status === 'failed' || r.status === 'killed') return 'failure';
    return 'inconclusive';
  }
  if (r.status === 'reverted') return 'failure';
  if (r.status === 'revert') return 'inconclusive';
  return undefined;
}

/** Canonical bytes of a record: JSON with sorted keys, one line. */
export function canonicalRecordBytes(r: EvidenceRecord): Uint8Array {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return new TextEncoder().encode(JSON.stringify(sort({ format: 'rdcredit-evidence-record-v1', ...r })) + '\n');
}

export function toEvidenceItems(records: readonly EvidenceRecord[], study: Study, capturedAt: string, file: string, people: Readonly<Record<string, string>> = {}): { captures: EvidenceCapture[]; diagnostics: Diagnostic[] } {
  const compIds = study.components.map((c) => c.id);
  const known = new Set(compIds);
  const diagnostics: Diagnostic[] = [];
  const unknownLinks = new Map<string, number>();
  const staff = study.employees.map((e) => ({ id: e.id, keys: [e.id, e.name].map((x) => x.toLowerCase()) }));
  const ids = new Set(study.employees.map((e) => e.id));
  const named = normalisePeople(people);
  const captures = records.map((r) => {
    const text = [r.title, r.details.body ?? '', r.details.experiment ?? '', r.details['tag.rdcredit.component'] ?? ''].join('\n');
    const links: string[] = [];
    if (r.componentId !== undefined) {
      if (known.has(r.componentId)) links.push(r.componentId);
      else unknownLinks.set(r.componentId, (unknownLinks.get(r.componentId) ?? 0) + 1);
    }
    for (const id of referenced(text, compIds)) if (!links.includes(id)) links.push(id);
    const employeeIds: string[] = [];
    if (r.author) {
      const m = /^(.*?)\s*<([^>]*)>$/.exec(r.author);
      const keys = (m ? [m[1]!, m[2]!, m[2]!.split('@')[0]!] : [r.author]).map((x) => x.trim().toLowerCase()).filter(Boolean);
      const mapped = keys.map((k) => named.get(personKey(k))).find((id) => id !== undefined && ids.has(id));
      const hit = mapped ?? staff.find((p) => p.keys.some((k) => keys.includes(k)))?.id;
      if (hit) employeeIds.push(hit);
    }
    const bytes = canonicalRecordBytes(r);
    const training = r.kind === 'experiment_run' && /train/i.test(`${r.title} ${r.details.experiment ?? ''}`);
    const metrics = Object.entries(r.details)
      .filter(([k]) => k.startsWith('metric.'))
      .map(([k, v]) => `${k.slice(7)}=${v}`);
    const item: EvidenceItem = {
      id: `${r.source.system}:${r.id}`,
      kind: r.kind === 'commit' ? 'commit' : training ? 'training_run' : 'experiment_run',
      title: r.title.trim() || r.id,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(r.date ? { claimedDate: r.date as IsoDate } : {}),
      capturedAt,
      componentIds: links,
      employeeIds,
      uri: r.source.system === 'git' ? `git:commit/${r.id}` : `mlflow:runs/${r.id}`,
      summary: [`${r.source.system === 'git' ? 'commit' : 'run'} ${r.status}`, r.author ? `by ${r.author}` : '', metrics.length ? metrics.join(', ') : '', r.details.reverted_by ? `reverted by ${r.details.reverted_by.slice(0, 12)}` : '']
        .filter(Boolean)
        .join('; '),
      source: { file, ...(r.source.sha256 ? { sha256: r.source.sha256 } : {}), ...(r.source.row !== undefined ? { row: r.source.row } : {}), ...(r.source.note ? { note: r.source.note } : {}) },
    };
    const outcome = outcomeOf(r);
    if (outcome) item.outcome = outcome;
    return { item, bytes };
  });
  for (const [id, n] of unknownLinks)
    diagnostics.push({ file, severity: 'warning', column: 'component', value: id, expected: 'a component id of the study in the component map', message: `${n} evidence items map to component "${id}", which the study does not have: the link was dropped` });
  return { captures, diagnostics };
}
