import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('rdcredit compute (the main job)', () => {
  it('Gem State Fabrication: federal QREs and the Idaho credit come out as the seed article computes them', () => {
    const doc = JSON.parse(cli('compute', 'examples/gem-state-fabrication', '--json'));
    // Article Table: federal QREs $1,395,000 (A $1.2M + 65% of the $300k Arizona contract)
    expect(doc.forms.f6765.lines['48']).toBe(1395000);
    expect(doc.forms.f6765.lines['45']).toBe(195000);
    // Article Table IV: base 750,000 vs 50% minimum 600,000; excess 450,000; 5% credit 22,500
    expect(doc.forms.id67.lines['16']).toBe(22500);
    expect(doc.states.ID.credit.dollars).toBe(22500);
    // The article gives no federal history: the credit is unknown (null), never 0
    expect(doc.forms.f6765.lines['28']).toBeNull();
    expect(doc.federal.credit.status).toBe('unknown');
    expect(doc.missing).toContain('history.TY2022.qre');
  }, 60_000);

  it('Sawtooth ML: both methods computed, ASC chosen; every line explains itself', () => {
    const doc = JSON.parse(cli('compute', 'examples/sawtooth-ml', '--json', '--year', '2025'));
    const l = doc.forms.f6765.lines;
    expect(l['48']).toBe(l['42'] + l['43'] + l['44'] + l['47']);
    // Line 22 = prior 3 years' QREs ÷ 6: (880,000 + 2,240,000 + 3,910,000) / 6 = 1,171,667 (rounded)
    expect(l['21']).toBe(7030000);
    expect(l['22']).toBe(1171667);
    expect(l['24']).toBe(Math.round((l['20'] - l['22']) * 0.14));
    expect(doc.federal.chosen).toEqual({ method: 'asc', section280c: false });
    const text = cli('compute', 'examples/sawtooth-ml', '--explain', '24');
    expect(text).toMatch(/line 24/i);
    expect(text).toMatch(/us\.federal\.irc41\.asc\.rate = 14%/);
  }, 60_000);

  it('refuses a study of another year with a clear message', () => {
    expect(() => cli('compute', 'examples/sawtooth-ml', '--year', '2024')).toThrow(/not 2024/);
  }, 60_000);
});
