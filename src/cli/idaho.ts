/**
 * Idaho over several studies: the irrevocable start-up election across tax years, and a unitary
 * group's member-by-member sharing (IDAPA 35.01.01.721, 723).
 */
import { loadLaw } from '../law/index.js';
import { renderScheduleText } from '../study/compute/output.js';
import { idahoStartupComparisonForStudies, idahoUnitaryGroup } from '../study/multiyear/index.js';
import type { Study } from '../study/model.js';
import { loadStudyOrReport } from './compute.js';

function loadAll(dirs: string[]): Study[] | undefined {
  const out: Study[] = [];
  for (const d of dirs) {
    const s = loadStudyOrReport(d);
    if (!s) {
      console.error(`${d}: the study folder has errors; nothing was computed.`);
      return undefined;
    }
    out.push(s);
  }
  return out;
}

export async function runIdahoStartup(dirs: string[], opts: { electionYear?: number; json?: boolean }): Promise<number> {
  const studies = loadAll(dirs);
  if (!studies) return 2;
  const r = idahoStartupComparisonForStudies(loadLaw(), studies, opts.electionYear !== undefined ? { electionYear: opts.electionYear } : {});
  if (opts.json) console.log(JSON.stringify({ schedule: r.schedule, electionYear: r.electionYear ?? null, problems: r.problems, flags: r.flags }, null, 2));
  else {
    console.log(renderScheduleText(r.schedule));
    for (const p of r.problems) console.log(`problem${p.year ? ` (${p.year})` : ''}: ${p.message}`);
    for (const f of r.flags) console.log(`review: ${f.option} = ${f.chosen}${f.isDefault ? ' (default)' : ''}`);
  }
  return r.problems.length ? 1 : 0;
}

export async function runIdahoUnitary(dirs: string[], opts: { share?: string; json?: boolean }): Promise<number> {
  const studies = loadAll(dirs);
  if (!studies) return 2;
  const sharing = Object.fromEntries((opts.share ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((id) => [id, true]));
  const r = idahoUnitaryGroup(loadLaw(), studies, sharing);
  if (opts.json) console.log(JSON.stringify({ schedule: r.schedule, members: r.members, problems: r.problems, flags: r.flags }, null, 2));
  else {
    console.log(renderScheduleText(r.schedule));
    for (const p of r.problems) console.log(`problem: ${p.message}`);
    for (const f of r.flags) console.log(`review: ${f.option} = ${f.chosen}${f.isDefault ? ' (default)' : ''}`);
  }
  return r.problems.length ? 1 : 0;
}
