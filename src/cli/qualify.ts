import { loadLaw } from '../law/index.js';
import { qualifyStudy } from '../study/qualify/index.js';
import { renderQualificationText } from '../study/qualify/render.js';
import { loadStudyOrReport } from './compute.js';

/** `rdcredit qualify <study>`: the engine's qualification assessment and readiness, per component. */
export async function runQualify(dir: string, opts: { json?: boolean }): Promise<number> {
  const study = loadStudyOrReport(dir);
  if (!study) {
    console.error(`${dir}: the study folder has errors; nothing was assessed.`);
    return 2;
  }
  const report = qualifyStudy(study, { law: loadLaw() });
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderQualificationText(report));
  return 0;
}
