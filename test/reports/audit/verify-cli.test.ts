import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerify } from '../../../src/cli/verify.js';
import { Ledger, MemoryLedgerStorage } from '../../../src/evidence/ledger.js';
import { loadLaw } from '../../../src/law/index.js';
import { buildAuditFile } from '../../../src/reports/audit/index.js';
import { openStore } from '../../../src/store/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rdcredit-verify-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(path: string, opts = {}) {
  const out: string[] = [];
  const code = await runVerify(path, { ...opts, print: (s) => out.push(s) });
  return { code, text: out.join('\n') };
}

describe('rdcredit verify', () => {
  it('an audit zip: PASS lines and exit 0; a changed byte: FAIL naming the file and exit 1', async () => {
    const { study } = readStudyFolder(resolve(__dirname, '..', '..', '..', 'examples', 'gem-state-fabrication'));
    const result = computeStudy(loadLaw(), study!);
    const storage = new MemoryLedgerStorage();
    await new Ledger(storage).append(strToU8('employee,wages\nGSF-101,140000.00\n'), { name: 'payroll.csv', kind: 'payroll', receivedAt: '2024-01-15T09:00:00Z' });
    const zip = buildAuditFile({ result, forms: { 'id67.csv': 'line,amount\n16,22500\n' }, ledger: { entries: storage.list, blob: (s) => storage.blobs.get(s) } });
    const d = tmp();
    writeFileSync(join(d, 'audit.zip'), zip);
    const ok = await run(join(d, 'audit.zip'));
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/PASS {2}every listed file is present and unchanged/);
    expect(ok.text).toMatch(/PASS {2}evidence ledger chain \(1 entries\)/);
    expect(ok.text).toMatch(/Verified: nothing was changed/);
    const bad = new Uint8Array(zip);
    const at = Buffer.from(bad).indexOf('16,22500');
    bad[at + 3] = '9'.charCodeAt(0);
    writeFileSync(join(d, 'tampered.zip'), bad);
    const t = await run(join(d, 'tampered.zip'));
    expect(t.code).toBe(1);
    expect(t.text).toMatch(/FAIL {2}every listed file is present and unchanged\n\s+forms\/id67\.csv does not hash to its listed SHA-256/);
    const wrongRoot = await run(join(d, 'audit.zip'), { root: 'f'.repeat(64) });
    expect(wrongRoot.code).toBe(1);
  }, 60_000);

  it("a study folder's ledger (embedded database): passes, then names the entry whose bytes were changed", async () => {
    const studyDir = tmp();
    const db = join(studyDir, '.rdcredit', 'db');
    mkdirSync(db, { recursive: true });
    let store = await openStore({ dataDir: db });
    await store.migrate();
    await store.ledger.append(strToU8('a,b\n1,2\n'), { name: 'time.csv', kind: 'time' });
    await store.ledger.append(strToU8('c,d\n3,4\n'), { name: 'w2.csv', kind: 'w2' });
    await store.close();
    const ok = await run(studyDir);
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/PASS {2}evidence ledger chain \(2 entries, head [0-9a-f]{64}\)/);
    store = await openStore({ dataDir: db });
    // an attacker with the table owner's power switches the append-only trigger off
    await store.db.exec('alter table ledger_blob disable trigger user');
    await store.db.query("update ledger_blob set bytes = $1 where sha256 = (select sha256 from ledger_entry where seq = 2)", [strToU8('c,d\n3,5\n')]);
    await store.close();
    const bad = await run(studyDir, { json: true });
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.text);
    expect(doc.ok).toBe(false);
    expect(doc.checks[0].detail).toMatch(/entry 2 \(w2\.csv\): the stored bytes no longer hash/);
  }, 120_000);

  it('a folder with no ledger, or a missing path, has nothing to verify (exit 2)', async () => {
    expect((await run(resolve(__dirname, '..', '..', '..', 'examples', 'sawtooth-ml'))).code).toBe(2);
    expect((await run(join(tmp(), 'nope.zip'))).code).toBe(2);
  });
});
