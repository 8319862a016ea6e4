import { loadLaw } from '../law/index.js';
import { qualifyStudy, recordDecision } from '../study/qualify/index.js';
import { readStudyFolder, writeStudyFolder } from '../study/folder/index.js';
import { renderQualificationText } from '../study/qualify/render.js';
import { folderLedgerShas, retainedEvidence } from '../study/evidence-files.js';
import { loadStudyOrReport } from './compute.js';

/** `rdcredit qualify <study>`: the engine's qualification assessment and readiness, per component. */
export async function runQualify(dir: string, opts: { json?: boolean }): Promise<number> {
  const study = loadStudyOrReport(dir);
  if (!study) {
    console.error(`${dir}: the study folder has errors; nothing was assessed.`);
    return 2;
  }
  // The bytes behind each evidence hash: the folder ledger (.rdcredit/ledger) or the file the item names.
  const { retained, problems } = retainedEvidence(dir, study, await folderLedgerShas(dir));
  const report = qualifyStudy(study, { law: loadLaw(), retained, evidenceProblems: problems });
  for (const p of problems) console.error(`warning: ${p.message}`);
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderQualificationText(report));
  return 0;
}

/**
 * `rdcredit decide <study> --component X --result R --by NAME --why TEXT`: records a qualification
 * decision in the study folder (the component's result changes; the log keeps who, when, why and
 * the previous result). The folder is re-read after writing, so a bad decision never lands.
 */
export async function runDecide(dir: string, opts: { component: string; result: string; by: string; why: string; at?: string }): Promise<number> {
  const study = loadStudyOrReport(dir);
  if (!study) {
    console.error(`${dir}: the study folder has errors; nothing was recorded.`);
    return 2;
  }
  if (!['qualifies', 'does_not_qualify', 'needs_information'].includes(opts.result)) {
    console.error(`--result must be qualifies, does_not_qualify or needs_information, not "${opts.result}"`);
    return 2;
  }
  let next;
  try {
    next = recordDecision(study, opts.component, opts.result as 'qualifies', opts.by, opts.why, opts.at ?? new Date().toISOString());
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  writeStudyFolder(next, dir);
  const back = readStudyFolder(dir);
  if (!back.study) {
    writeStudyFolder(study, dir);
    console.error('the study could not be written back; nothing was changed');
    return 1;
  }
  const d = next.qualificationLog!.at(-1)!;
  console.log(`${d.componentId}: ${d.previous} → ${d.result} (by ${d.by} at ${d.at}: ${d.why})`);
  const assessed = qualifyStudy(next, { law: loadLaw() }).components.find((c) => c.componentId === d.componentId);
  if (assessed && assessed.result !== d.result) console.log(`note: the engine's assessment is ${assessed.result}; the decision is recorded with its reason.`);
  return 0;
}
