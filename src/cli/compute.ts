import { renderText, findRule } from '../explain/index.js';
import { loadLaw } from '../law/index.js';
import { parts } from '../periods/index.js';
import { computeStudy } from '../study/compute/index.js';
import { folderLedgerShas, retainedEvidence } from '../study/evidence-files.js';
import { renderScheduleText, renderSummary, toJsonDocument } from '../study/compute/output.js';
import type { StudyResult } from '../study/compute/result.js';
import { readStudyFolder } from '../study/folder/index.js';
import type { Study } from '../study/model.js';

export function loadStudyOrReport(dir: string): Study | undefined {
  const r = readStudyFolder(dir);
  for (const d of r.diagnostics)
    console.error(`${d.severity}: ${d.file}${d.row !== undefined ? `:${d.row}` : ''}${d.column ? ` [${d.column}]` : ''}: ${d.message}${d.value !== undefined ? ` (value "${d.value}")` : ''}${d.expected ? `; expected ${d.expected}` : ''}`);
  return r.study;
}

/** Finds a form line ("24", "f6765:24", "id67:10") or a rule id in a result and renders its explanation. */
export function explainLine(result: StudyResult, spec: string): string | undefined {
  const m = /^(?:([a-z0-9-]+):)?([0-9]+[a-z]?|[A-Z])$/.exec(spec);
  if (m) {
    const formId = m[1] === 'id67' || m[1] === 'id-67' ? 'id67' : (m[1] ?? 'f6765');
    const v = result.forms[formId]?.lines[m[2]!];
    return v ? renderText(v.why) : undefined;
  }
  const named = result.explanations?.[spec];
  if (named) return renderText(named);
  for (const f of Object.values(result.forms))
    for (const v of Object.values(f.lines)) {
      const hit = findRule(v.why, spec);
      if (hit) return renderText(hit);
    }
  for (const e of Object.values(result.explanations ?? {})) {
    const hit = findRule(e, spec);
    if (hit) return renderText(hit);
  }
  return undefined;
}

export async function runCompute(dir: string, opts: { year?: number; json?: boolean; explain?: string; lines?: boolean; schedule?: string }): Promise<number> {
  const study = loadStudyOrReport(dir);
  if (!study) {
    console.error(`${dir}: the study folder has errors; nothing was computed.`);
    return 2;
  }
  const y = parts(study.taxpayer.period.start).y;
  if (opts.year !== undefined && opts.year !== y) {
    console.error(`${dir} is a study of the tax year beginning ${study.taxpayer.period.start}, not ${opts.year}.`);
    return 2;
  }
  const result = computeStudy(loadLaw(), study, { retainedEvidence: retainedEvidence(dir, study, await folderLedgerShas(dir)) });
  if (opts.explain) {
    const text = explainLine(result, opts.explain);
    if (!text) {
      console.error(`no line or rule "${opts.explain}" in this study's result`);
      return 2;
    }
    console.log(text);
    return 0;
  }
  if (opts.schedule) {
    const s = result.schedules?.[opts.schedule];
    if (!s) {
      console.error(`no schedule "${opts.schedule}" in this study's result; there are: ${Object.keys(result.schedules ?? {}).join(', ') || 'none'}`);
      return 2;
    }
    console.log(opts.json ? JSON.stringify(s, null, 2) : renderScheduleText(s));
    return 0;
  }
  console.log(opts.json ? JSON.stringify(toJsonDocument(result), null, 2) : renderSummary(result, { lines: opts.lines ?? false }));
  return 0;
}
