/**
 * Browser end-to-end: the server on port 0 with a temporary PGlite and the built web app, driven
 * by Debian's chromium through playwright-core. Logs in, checks the dashboard charts, runs the quick
 * check and a what-if, imports a W-2 file, answers an interview question, sees the credit change,
 * comments on a form line by keyboard, opens a component's qualification report, uploads dated
 * evidence and comments there, sorts the people page, downloads files, and (as a preparer, by
 * keyboard) opens a new client, taxpayer and empty 2025 study from the clients page.
 * Screenshots go to test/e2e/artifacts/. Skipped (with a message) only when /usr/bin/chromium is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

/** web/dist is missing or older than a source of the web app. */
function stale(): boolean {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const at = statSync(built).mtimeMs;
  const newer = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > at));
  return newer(join(ROOT, 'web', 'src')) || statSync(join(ROOT, 'web', 'index.html')).mtimeMs > at;
}

const money = (s: string | null) => Number((s ?? '').replace(/[^0-9.-]/g, ''));

describe.skipIf(!have)('the web app in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    if (stale()) {
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
  /** Form fields and buttons of the page without an accessible name (ids or text, for the message). */
  const unlabelled = () => unlabelledOn(page);
  const unlabelledOn = (pg: Page) =>
    pg.evaluate(() => {
      type El = { id: string; tagName: string; type?: string; textContent: string | null; labels?: ArrayLike<unknown> | null; getAttribute(n: string): string | null };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
      const bad: string[] = [];
      for (const el of Array.from(doc.querySelectorAll('input, select, textarea'))) {
        if (el.type === 'hidden' || el.type === 'checkbox') continue;
        if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) bad.push(`${el.tagName}#${el.id}`);
      }
      for (const el of Array.from(doc.querySelectorAll('button, a[href]'))) if (!(el.textContent ?? '').trim() && !el.getAttribute('aria-label')) bad.push(`${el.tagName}#${el.id}`);
      return bad;
    });
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
    // the charts: each an image with a title, and its numbers in a table
    for (const id of ['chart-methods', 'chart-categories', 'chart-components', 'chart-states', 'chart-years']) {
      const fig = page.getByTestId(id);
      expect(await fig.locator('svg[role="img"] title').count(), id).toBe(1);
      await fig.getByText('Show the numbers').click();
      expect(await fig.locator('table tbody tr').count(), id).toBeGreaterThan(0);
    }
    // year over year: 2022–2024 from the history, 2025 computed
    expect(await page.getByTestId('chart-years').locator('table tbody th').allTextContents()).toEqual(['2022', '2023', '2024', '2025']);
    expect(await unlabelled()).toEqual([]);
    await page.getByTestId('chart-states').scrollIntoViewIfNeeded();
    await shot('1c-dashboard-charts');

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
    await card.getByText(/Saved \d+ answer.*the qualification changed/).waitFor();
    await page.getByTestId('qual-EVAL').getByText('does not qualify').waitFor();
    await shot('6-interview');
    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await page.getByTestId('federal-credit').waitFor();
    const afterDecision = await federal();
    expect(afterDecision).toBeLessThan(afterImport);

    // a comment on a form line, by keyboard: the button next to the line, the dialog, back to the button
    await page.getByRole('tab', { name: 'Forms' }).click();
    const lineBtn = page.getByRole('button', { name: /^Comment on .*6765.* line 24$/ }).first();
    await lineBtn.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Your comment on/).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } } }).document.activeElement.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Tie line 24 to the ASC workpaper before sign-off.');
    // Tab order inside the dialog: the box, "Add comment", then back round to "Close" (focus stays in the dialog)
    const focused = () => page.evaluate(() => ((globalThis as unknown as { document: { activeElement: { textContent: string | null } } }).document.activeElement.textContent ?? '').trim());
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Add comment');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Close');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Add comment');
    await page.keyboard.press('Enter');
    await dialog.getByText('Tie line 24 to the ASC workpaper before sign-off.').waitFor();
    expect(await unlabelled()).toEqual([]);
    await shot('9-line-comment');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Comment on .*6765.* line 24, 1 comment$/ }).first().waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('aria-label'))).toMatch(/line 24, 1 comment$/);

    // the component page: the qualification report of SGA
    await page.getByRole('tab', { name: 'Components' }).click();
    await page.getByRole('link', { name: /^Qualification report of Hybrid sparse-grouped attention/ }).click();
    const comp = page.getByTestId('component-page');
    await comp.waitFor();
    const tests = comp.getByTestId('four-part').locator('tbody tr');
    expect(await tests.count()).toBe(4);
    expect(await comp.getByTestId('four-part').textContent()).toContain('26 U.S.C. § 41(d)(1)(A)');
    expect(await comp.getByTestId('exclusions').locator('tbody tr').count()).toBeGreaterThanOrEqual(6);
    // examples/sawtooth-ml: 91.02% of the hours on SGA are flagged as experimentation
    expect(await comp.getByTestId('substantially-all').textContent()).toMatch(/91\.02%.*at least 80%/s);
    expect(await comp.getByTestId('component-readiness').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(money(await comp.getByTestId('component-qre').locator('strong').textContent())).toBeGreaterThan(0);
    // upload a design note dated inside the tax year: it is listed as contemporaneous
    await comp.getByRole('button', { name: /^Interview/ }).click();
    await comp.getByLabel('File', { exact: true }).setInputFiles({ name: 'sga-ablation-plan.md', mimeType: 'text/markdown', buffer: Buffer.from('# SGA ablation plan\nFour grouping schemes, two sparsity levels; kill criteria per run.\n') });
    await comp.getByLabel('Kind').selectOption('design_doc');
    await comp.getByLabel('Date of the document').fill('2025-02-11');
    await comp.getByRole('button', { name: 'Upload' }).click();
    await comp.getByTestId('evidence').getByRole('row', { name: /sga-ablation-plan\.md.*inside the tax year/ }).waitFor();
    // every field on the page has a label
    expect(await unlabelled()).toEqual([]);
    // a comment on the component from its page
    await comp.getByRole('button', { name: /^Comment on component SGA/ }).click();
    await page.getByRole('dialog').getByLabel(/Your comment on/).fill('Ask the team for the ablation runs of March.');
    await page.getByRole('dialog').getByRole('button', { name: 'Add comment' }).click();
    await page.getByRole('dialog').getByText('Ask the team for the ablation runs of March.').waitFor();
    await page.keyboard.press('Escape');
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await shot('10-component-page');
    await comp.getByTestId('substantially-all').evaluate((el) => (el as unknown as { scrollIntoView(o: unknown): void }).scrollIntoView({ block: 'start' }));
    await shot('10b-component-substantially-all-and-evidence');

    // both comments are listed in the review with what they are about
    await page.getByRole('tab', { name: 'Review' }).click();
    const list = page.getByTestId('comments');
    await list.getByText('Tie line 24 to the ASC workpaper before sign-off.').waitFor();
    expect(await list.textContent()).toMatch(/on f6765 line 24.*Tie line 24/s);
    expect(await list.textContent()).toMatch(/on component SGA.*ablation runs of March/s);

    // people and time, sorted by wages (largest first), by keyboard
    await page.getByRole('tab', { name: 'People and time' }).click();
    await page.getByTestId('people').waitFor();
    await page.getByRole('button', { name: /^Wages/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator('th[aria-sort="descending"]', { hasText: 'Wages' }).waitFor();
    const wages = (await page.getByTestId('people').locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => money(t.split(/[a-z]/i)[0] ?? ''));
    expect(wages.length).toBeGreaterThan(3);
    for (let i = 1; i < wages.length; i++) expect(wages[i - 1]!).toBeGreaterThanOrEqual(wages[i]!);
    expect(await unlabelled()).toEqual([]);
    await shot('11-people');

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

  it('a preparer opens a new client, taxpayer and empty 2025 study from the clients page, by keyboard', async () => {
    // the firm admin adds a preparer (through the API, with the admin's session and CSRF token)
    const cookies = await page.context().cookies();
    const csrf = cookies.find((c) => c.name === 'rdc_csrf')!.value;
    const add = await page.request.post(`${server.url}api/firms/example-cpa/users`, {
      headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
      data: { email: 'preparer@example-cpa.test', name: 'Pat Preparer', password: 'e2e preparer password', role: 'preparer' },
    });
    expect(add.status()).toBe(201);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    try {
      await p.goto(server.url);
      await p.getByLabel('Email').fill('preparer@example-cpa.test');
      await p.getByLabel('Password').fill('e2e preparer password');
      await p.keyboard.press('Enter');
      const newClient = p.getByRole('button', { name: 'New client' });
      await newClient.focus();
      await p.keyboard.press('Enter');
      // the form opens with the focus in its first field
      await p.getByLabel('Client name').waitFor();
      const active = () => p.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id);
      expect(await active()).toBe('nc-name');
      await p.keyboard.type('Teton Robotics Group');
      await p.keyboard.press('Enter');
      // then the new study form, for that client, with a new taxpayer
      await p.getByRole('heading', { name: 'New study' }).waitFor();
      expect(await active()).toBe('ns-client');
      expect(await p.locator('#ns-client option:checked').textContent()).toBe('Teton Robotics Group');
      await p.keyboard.press('Tab');
      expect(await active()).toBe('ns-taxpayer');
      await p.keyboard.press('Tab');
      expect(await active()).toBe('ns-tp-name');
      await p.keyboard.type('Teton Robotics, Inc.');
      await p.keyboard.press('Tab');
      await p.keyboard.type('82-1234567');
      await p.keyboard.press('Tab'); // entity type: C corporation (the default)
      await p.keyboard.press('Tab');
      expect(await active()).toBe('ns-tp-states');
      await p.keyboard.type('ID');
      await p.keyboard.press('Tab'); // the study folder ZIP: none
      await p.keyboard.press('Tab');
      expect(await active()).toBe('ns-year');
      await p.keyboard.press('ControlOrMeta+a');
      await p.keyboard.type('2025');
      expect(await unlabelledOn(p)).toEqual([]);
      await p.screenshot({ path: join(ARTIFACTS, '13-new-study.png') });
      await p.keyboard.press('Enter');
      // the new study opens; back on the clients page it is listed under its client
      await p.waitForURL(/#\/studies\/[^/]+\/dashboard/);
      await p.goto(`${server.url}#/`);
      const nav = p.getByRole('navigation', { name: 'Clients and tax years' });
      await nav.locator('strong', { hasText: 'Teton Robotics Group' }).locator('xpath=..').getByRole('link', { name: 'Tax year 2025' }).waitFor();
      const row = p.getByRole('row', { name: /Teton Robotics Group/ });
      expect(await row.getByRole('link').count()).toBe(1);
    } finally {
      await ctx.close();
    }
  }, 60_000);

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
      // the component page with its interview, at phone width
      await phone.goto(`${server.url}#/studies/sawtooth-ml-2025/components/SGA`);
      await phone.getByTestId('four-part').waitFor();
      await phone.getByTestId('component-page').getByRole('button', { name: /^Interview/ }).click();
      const save2 = phone.getByRole('button', { name: 'Save answers' });
      expect((await save2.boundingBox())!.width).toBeGreaterThan(300);
      expect(
        await phone.evaluate(() => {
          const el = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return el.scrollWidth - el.clientWidth;
        }),
      ).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(ARTIFACTS, '12-phone-component.png') });
    } finally {
      await phone.close();
    }
  }, 60_000);
});
