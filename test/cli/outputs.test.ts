/**
 * The defence workflow through the real command line: import a payroll file into a copy of the
 * Gem State study, then write the forms, report, workpapers and audit file; verify the audit file
 * against its recorded root hash; a changed byte or a changed ledger is caught.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });
const ok = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tmp = mkdtempSync(join(tmpdir(), 'rdcredit-outputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PAYROLL = `check_date,employee_id,employee_name,earning_type,amount,work_state
2023-06-30,GSF-900,New Researcher,Regular,"40,000.00",ID
2023-12-29,GSF-900,New Researcher,Regular,"40,000.50",ID
`;

describe('rdcredit outputs and verify', () => {
  const study = join(tmp, 'gem');
  cpSync(join(root, 'examples', 'gem-state-fabrication'), study, { recursive: true });
  const payroll = join(tmp, 'payroll-2023.csv');
  writeFileSync(payroll, PAYROLL);

  it('import keeps the raw file in the study’s ledger; importing it again changes nothing', () => {
    const first = run('import', study, payroll);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const employees = readFileSync(join(study, 'employees.csv'), 'utf8');
    expect(employees).toMatch(/GSF-900/);
    const again = run('import', study, payroll);
    expect(again.status).toBe(0);
    expect(again.stdout + again.stderr).toMatch(/already imported/);
    expect(readFileSync(join(study, 'employees.csv'), 'utf8')).toBe(employees);
    const v = run('verify', study);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/evidence ledger chain \(1 entries/);
  }, 120_000);

  it('writes forms, report and workpapers', () => {
    ok('forms', study, '--format', 'csv', '--out', join(tmp, 'forms'));
    expect(readdirSync(join(tmp, 'forms'))).toContain('id67.csv');
    ok('report', study, '--format', 'html', '--out', join(tmp, 'report.html'));
    expect(readFileSync(join(tmp, 'report.html'), 'utf8')).toMatch(/Gem State Fabrication/);
    ok('workpapers', study, '--out', join(tmp, 'wp.xlsx'));
    expect(readFileSync(join(tmp, 'wp.xlsx')).subarray(0, 2).toString()).toBe('PK');
  }, 180_000);

  it('the audit file verifies against its root hash, holds the raw import, and a changed byte is caught', () => {
    const zip = join(tmp, 'audit.zip');
    const out = ok('audit', study, '--out', zip);
    const rootHash = /root hash ([0-9a-f]{64})/.exec(out)![1]!;
    const v = run('verify', zip, '--root', rootHash);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/evidence ledger chain \(1 entries\)/);
    const bytes = readFileSync(zip);
    expect(bytes.includes(Buffer.from('payroll-2023.csv'))).toBe(true);
    // Flip one byte in the middle of the archive
    const bad = Buffer.from(bytes);
    const mid = Math.floor(bad.length / 2);
    bad[mid] = bad[mid]! ^ 0x01;
    writeFileSync(join(tmp, 'bad.zip'), bad);
    const w = run('verify', join(tmp, 'bad.zip'), '--root', rootHash);
    expect(w.status).toBe(1);
    expect(w.stdout).toMatch(/NOT VERIFIED|FAIL/);
  }, 240_000);

  it('the audit file holds every evidence file of the study folder, and its readiness sees them as kept', () => {
    const members = unzipSync(readFileSync(join(tmp, 'audit.zip')));
    const lm = JSON.parse(strFromU8(members['ledger/manifest.json']!)) as { evidence: { id: string; sha256?: string; uri?: string; path?: string }[] };
    const items = lm.evidence.filter((e) => e.uri?.startsWith('evidence/'));
    expect(items.length).toBe(11);
    for (const e of items) {
      expect(e.path, e.id).toBe(e.uri);
      expect(createHash('sha256').update(members[e.path!]!).digest('hex'), e.id).toBe(e.sha256);
      expect(Buffer.from(members[e.path!]!).equals(readFileSync(join(study, e.uri!))), e.id).toBe(true);
    }
    const result = JSON.parse(strFromU8(members['result/result.json']!)) as { qualification: { components: { componentId: string; readiness: { checks: { id: string; status: string; message: string }[] } }[] } };
    const raw = result.qualification.components.find((c) => c.componentId === 'A')!.readiness.checks.find((k) => k.id === 'raw_inputs')!;
    expect(raw.status, raw.message).toBe('pass');
  });

  it('a change to a raw file kept in the study’s ledger is caught by verify', () => {
    const dir = join(study, '.rdcredit', 'ledger', 'blobs');
    expect(existsSync(dir)).toBe(true);
    const target = join(dir, readdirSync(dir)[0]!);
    const orig = readFileSync(target);
    const changed = Buffer.from(orig);
    changed[changed.length - 2] = changed[changed.length - 2]! ^ 0x01;
    writeFileSync(target, changed);
    const v = run('verify', study);
    expect(v.status).toBe(1);
    writeFileSync(target, orig);
  }, 60_000);
});

describe('rdcredit decide', () => {
  it('records who, when, why and the previous result; the folder reads back; a decision without a reason is refused', () => {
    const dir = join(tmp, 'decide');
    cpSync(join(root, 'examples', 'gem-state-fabrication'), dir, { recursive: true });
    const before = readFileSync(join(dir, 'components.csv'), 'utf8');
    const bad = run('decide', dir, '--component', 'A', '--result', 'does_not_qualify', '--by', 'R. Reviewer', '--why', ' ');
    expect(bad.status).toBe(2);
    expect(readFileSync(join(dir, 'components.csv'), 'utf8')).toBe(before);
    const r = run('decide', dir, '--component', 'A', '--result', 'does_not_qualify', '--by', 'R. Reviewer', '--why', 'routine coating change', '--at', '2026-11-23T10:00:00Z');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/A: qualifies → does_not_qualify/);
    const log = readFileSync(join(dir, 'qualification-log.yaml'), 'utf8');
    expect(log).toMatch(/R\. Reviewer/);
    expect(log).toMatch(/previous: qualifies/);
    const doc = JSON.parse(ok('compute', dir, '--json'));
    // Component A's costs leave the QREs: federal QREs fall below the article's $1,395,000
    expect(doc.forms.f6765.lines['48']).toBeLessThan(1395000);
  }, 120_000);
});

describe('rdcredit evidence add', () => {
  it('captures a document into the ledger, evidence/ and evidence.csv; the same bytes again change nothing; verify passes; qualify sees it', () => {
    const dir = join(tmp, 'evidence-add');
    cpSync(join(root, 'examples', 'gem-state-fabrication'), dir, { recursive: true });
    const doc = join(tmp, 'adr-007-coating-cure.md');
    writeFileSync(doc, '# ADR 007: cure schedule for the new coating\nUncertain at the outset: whether a 90-second cure reaches the adhesion target.\n');
    const bad = run('evidence', 'add', dir, doc, '--kind', 'adr', '--component', 'NOPE');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no such business component/);
    const r = run('evidence', 'add', dir, doc, '--kind', 'adr', '--component', 'A', '--claimed-date', '2023-02-01', '--title', 'ADR 007');
    expect(r.status, r.stderr).toBe(0);
    const csv = readFileSync(join(dir, 'evidence.csv'), 'utf8');
    expect(csv).toMatch(/ADR 007/);
    const again = run('evidence', 'add', dir, doc, '--kind', 'adr', '--component', 'A');
    expect(again.stdout).toMatch(/already captured/);
    expect(readFileSync(join(dir, 'evidence.csv'), 'utf8')).toBe(csv);
    const v = run('verify', dir);
    expect(v.status, v.stdout).toBe(0);
    const q = JSON.parse(ok('qualify', dir, '--json'));
    const a = q.components.find((c: { componentId: string }) => c.componentId === 'A');
    expect(a.evidence.some((e: { title: string; contemporaneous: boolean }) => e.title === 'ADR 007' && e.contemporaneous === true)).toBe(true);
  }, 120_000);
});
