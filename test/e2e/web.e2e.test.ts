/**
 * Browser end-to-end: the server on port 0 with a temporary PGlite and the built web app, driven
 * by Debian's chromium through playwright-core. Logs in, runs a what-if, imports a W-2 file, answers
 * an interview question and records a decision, sees the credit change, and downloads a file.
 * Screenshots go to test/e2e/artifacts/. Skipped (with a message) only when /usr/bin/chromium is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { runServe, type RunningServer } from '../../src/cli/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..');
const WEB_DIST = join(ROOT, 'web', 'dist');
const ARTIFACTS = join(__dirname, 'artifacts');
const W2 = join(ROOT, 'test', 'server', 'fixtures', 'sawtooth-w2-raise.csv');
const have = existsSync(CHROMIUM);
if (!have) console.warn(`[e2e] skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

const money = (s: string | null) => Number((s ?? '').replace(/[^0-9.-]/g, ''));

describe.skipIf(!have)('the web app in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'rdcredit-e2e-'));
    server = await runServe({ port: 0, dataDir: join(dir, 'db'), demo: true, demoPassword: 'e2e demo password', webDir: WEB_DIST, print: false });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
  const federal = async () => money(await page.getByTestId('federal-credit').locator('.big').textContent());

  it('logs in, runs a what-if, imports a file, answers an interview, sees the credit change, downloads', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.demoLogin!.email);
    await page.getByLabel('Password').fill('e2e demo password');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: /Tax year 2025/ }).click();
    await page.getByTestId('federal-credit').waitFor();
    const before = await federal();
    expect(before).toBeGreaterThan(0);
    await shot('1-dashboard');

    // the quick check, before any data: the answers of a worked example (test/assist/fixtures/quickcheck)
    const answers = (parseYaml(readFileSync(join(ROOT, 'test', 'assist', 'fixtures', 'quickcheck', 'ai-native-product.yaml'), 'utf8')) as { answers: Record<string, unknown> }).answers;
    await page.getByRole('link', { name: 'Quick check' }).click();
    for (const [k, v] of Object.entries(answers)) {
      const field = page.locator(`[id="qc-${k}"]`);
      if (Array.isArray(v) && (await field.evaluate((el) => el.tagName)) === 'FIELDSET') {
        for (const x of v) await field.locator(`input[type=checkbox]`).nth(await field.locator('label').evaluateAll((ls, want) => ls.findIndex((l) => (l as unknown as { dataset: Record<string, string> }).dataset.value === want), String(x))).check();
      } else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(String(v));
      else if (Array.isArray(v)) await field.fill(v.join(', '));
      else if (typeof v === 'object' && v) await field.fill(Object.entries(v).map(([y, a]) => `${y}: ${String(a)}`).join(', '));
      else await field.fill(String(v));
    }
    await page.getByRole('button', { name: 'Estimate' }).click();
    await page.getByTestId('quick-check-result').getByText('Verdict: likely').waitFor();
    expect(await page.getByTestId('quick-check-result').textContent()).toContain('$22,050 – $109,760');
    await shot('1b-quick-check');
    await page.getByRole('link', { name: /Tax year 2025/ }).click();
    await page.getByTestId('federal-credit').waitFor();

    // a line's why?
    await page.getByRole('tab', { name: 'Forms' }).click();
    await page.getByRole('button', { name: /why\? .* line 24$/ }).first().click();
    await page.getByRole('dialog').getByText('Form 6765 line 24', { exact: false }).first().waitFor();
    await shot('2-why-line-24');
    await page.keyboard.press('Escape');

    // what-if: the regular credit instead
    await page.getByRole('tab', { name: 'What if' }).click();
    await page.getByLabel('Credit method').selectOption('regular');
    await page.getByTestId('what-if-result').waitFor();
    const change = await page.getByTestId('federal-change').textContent();
    expect(change).toMatch(/[−+]\$[\d,]+|no change/);
    await shot('3-what-if');

    // import a W-2 file that raises one engineer's wages
    await page.getByRole('tab', { name: 'Import' }).click();
    await page.getByLabel('File').setInputFiles(W2);
    await page.getByTestId('preview').getByText('rdcredit-w2').waitFor();
    await shot('4-import-preview');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-job').getByText(/Imported with profile rdcredit-w2/).waitFor();
    await shot('5-import-done');
    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await page.getByTestId('federal-credit').waitFor();
    const afterImport = await federal();
    expect(afterImport).toBeGreaterThan(before);

    // answer an interview question, then record the decision it supports
    await page.getByRole('tab', { name: 'Components' }).click();
    const card = page.locator('.card', { has: page.getByTestId('qual-EVAL') });
    await card.getByRole('button', { name: /Interview/ }).click();
    // the engine's exclusion question: the work duplicates an existing component
    await card.locator('[id="q-ex.duplication"]').selectOption('yes');
    await card.getByRole('button', { name: 'Save answers' }).click();
    await card.getByText(/Saved 1 answer.*the qualification changed/).waitFor();
    await page.getByTestId('qual-EVAL').getByText('does not qualify').waitFor();
    await shot('6-interview');
    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await page.getByTestId('federal-credit').waitFor();
    const afterDecision = await federal();
    expect(afterDecision).toBeLessThan(afterImport);

    // download every form line
    await page.getByRole('tab', { name: 'Downloads' }).click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-lines-csv').click()]);
    const path = join(dir, 'lines.csv');
    await dl.saveAs(path);
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toBe('form,line,label,status,value,missing');
    expect(csv).toMatch(/^f6765,24,/m);
    const [rep] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report-pdf').click()]);
    const pdf = join(dir, 'report.pdf');
    await rep.saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 4).toString('latin1')).toBe('%PDF');
    await shot('7-downloads');
  }, 240_000);

  it('the interview is usable on a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(`${server.url}#/studies/sawtooth-ml-2025/components`);
      const card = phone.locator('.card', { has: phone.getByTestId('qual-SGA') });
      await card.getByRole('button', { name: /Interview/ }).click();
      const save = card.getByRole('button', { name: 'Save answers' });
      const box = await save.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      const overflow = await phone.evaluate(() => {
        const el = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return el.scrollWidth - el.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(ARTIFACTS, '8-phone-interview.png') });
    } finally {
      await phone.close();
    }
  }, 60_000);
});
