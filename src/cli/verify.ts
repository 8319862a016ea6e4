/**
 * `rdcredit verify <zip | study folder | database directory>`: proves nothing was changed.
 *  - an audit zip: every member against MANIFEST (changed, added, removed, reordered), the root
 *    hash (and `--root <hash>` recorded elsewhere), and the evidence ledger chain inside it;
 *  - a study folder (its `.rdcredit/db`) or an embedded database directory, or `--url` for a
 *    PostgreSQL server: the evidence ledger in the store (read only: no migration, no write).
 * Prints one PASS/FAIL line per check; exit code 0 = all pass, 1 = a check failed, 2 = nothing to verify.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditFile } from '../reports/audit/index.js';
import { folderEvidence } from '../evidence/file-ledger.js';
import { openStore } from '../store/index.js';

export interface VerifyOptions {
  /** Root hash recorded outside the audit file (report, return, engagement file). */
  root?: string;
  /** Ledger head hash recorded elsewhere (for a store). */
  head?: string;
  /** Embedded database directory (default: <study>/.rdcredit/db, or the path itself). */
  db?: string;
  /** PostgreSQL URL (instead of an embedded database). */
  url?: string;
  json?: boolean;
  /** Where lines go (default: console.log). */
  print?: (line: string) => void;
}

interface Line {
  ok: boolean;
  name: string;
  detail?: string;
}

function report(lines: Line[], title: string, print: (s: string) => void, json: boolean): number {
  const ok = lines.every((l) => l.ok);
  if (json) print(JSON.stringify({ target: title, ok, checks: lines }, null, 2));
  else {
    print(title);
    for (const l of lines) print(`  ${l.ok ? 'PASS' : 'FAIL'}  ${l.name}${l.detail ? `\n        ${l.detail.split('; ').join('\n        ')}` : ''}`);
    print(ok ? 'Verified: nothing was changed.' : `NOT VERIFIED: ${lines.filter((l) => !l.ok).length} check(s) failed.`);
  }
  return ok ? 0 : 1;
}

function isPgliteDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** Verifies an audit zip or a study's evidence ledger; returns the exit code. */
export async function runVerify(path: string, opts: VerifyOptions = {}): Promise<number> {
  const print = opts.print ?? ((s: string) => console.log(s));
  const json = opts.json ?? false;
  if (!opts.url && !existsSync(path)) {
    print(`${path}: no such file or folder`);
    return 2;
  }
  if (!opts.url && statSync(path).isFile()) {
    const v = verifyAuditFile(new Uint8Array(readFileSync(path)), opts.root ? { expectedRootHash: opts.root } : {});
    const lines: Line[] = v.checks.map((c) => ({ ok: c.ok, name: c.name, ...(c.detail ? { detail: c.detail } : {}) }));
    const title = v.manifest ? `Audit file ${path}: ${v.manifest.study.title} (${v.manifest.files.length} files, root hash ${v.manifest.rootHash})` : `Audit file ${path}`;
    return report(lines, title, print, json);
  }

  let target: { dataDir: string } | { url: string };
  let where: string;
  if (opts.url) {
    target = { url: opts.url };
    where = 'PostgreSQL server';
  } else {
    const candidates = opts.db ? [opts.db] : [join(path, '.rdcredit', 'db'), path];
    const dir = candidates.find(isPgliteDir);
    if (!dir && !opts.db && existsSync(join(path, '.rdcredit', 'ledger'))) {
      // A study folder's own file ledger (rdcredit import without --db)
      const ledger = folderEvidence(path).ledger;
      let lines: Line[];
      try {
        const v = await ledger.verify(opts.head ? { expectedHead: opts.head } : {});
        const head = (await ledger.entries()).at(-1)?.hash;
        lines = [{ ok: v.ok, name: `evidence ledger chain (${v.entries} entries${head ? `, head ${head}` : ''})`, ...(v.ok ? {} : { detail: v.problems.map((p) => p.message).join('; ') }) }];
      } catch (e) {
        lines = [{ ok: false, name: 'evidence ledger can be read', detail: (e as Error).message }];
      }
      return report(lines, `Evidence ledger in ${join(path, '.rdcredit', 'ledger')}`, print, json);
    }
    if (!dir) {
      print(`${path}: no evidence ledger found (looked for an embedded database in ${candidates.join(' and ')}); nothing has been imported into this study yet.`);
      return 2;
    }
    target = { dataDir: dir };
    where = dir;
  }
  const store = await openStore(target);
  try {
    let lines: Line[];
    try {
      const v = await store.ledger.verify(opts.head ? { expectedHead: opts.head } : {});
      const head = (await store.ledger.entries()).at(-1)?.hash;
      lines = [
        { ok: v.ok, name: `evidence ledger chain (${v.entries} entries${head ? `, head ${head}` : ''})`, ...(v.ok ? {} : { detail: v.problems.map((p) => p.message).join('; ') }) },
      ];
    } catch (e) {
      lines = [{ ok: false, name: 'evidence ledger can be read', detail: (e as Error).message }];
    }
    return report(lines, `Evidence ledger in ${where}`, print, json);
  } finally {
    await store.close();
  }
}
