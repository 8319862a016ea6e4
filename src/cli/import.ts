import { importFile, progressBar } from '../importers/index.js';

/** Imports a source file and reports its records and diagnostics (merging into the folder follows with the store wiring). */
export async function runImport(_study: string, file: string, opts: { kind?: string; profile?: string; acceptSkip?: number[] }): Promise<number> {
  const bar = progressBar(file);
  const r = await importFile(file, { ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.acceptSkip ? { acceptSkip: opts.acceptSkip } : {}), onProgress: bar.update } as never);
  bar.stop?.();
  for (const d of r.diagnostics) console.error(`${d.severity}: ${d.file}${d.row !== undefined ? `:${d.row}` : ''}${d.column ? ` [${d.column}]` : ''}: ${d.message}`);
  console.log(`${file}: profile ${r.profile}, sha256 ${r.sha256}, ${r.accepted ? 'accepted' : 'rejected (nothing imported)'}`);
  for (const [k, v] of Object.entries(r.records)) if (Array.isArray(v) && v.length) console.log(`  ${k}: ${v.length}`);
  return r.accepted ? 0 : 2;
}
