import { initStudyFolder } from '../study/folder/index.js';

export async function runInit(dir: string, opts: { name?: string; year?: number }): Promise<number> {
  const files = initStudyFolder(dir, { ...(opts.name ? { name: opts.name } : {}), ...(opts.year ? { year: opts.year } : {}) } as never);
  console.log(`Created ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}`);
  return 0;
}
