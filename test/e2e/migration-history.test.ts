import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('Migration History in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await buildTestApp();
    browser = await launchChromium();
    page = await signedInPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const row = (revision: string) => page.locator(`[data-testid="revision-row"][data-revision="${revision}"]`);
  const count = (revision: string, key: string) =>
    row(revision).getByTestId(`count-${key}`).getAttribute('data-value');

  it('shows the pending revisions, what each does, a finding and the drift', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Migrations' }).click();
    expect(new URL(page.url()).pathname).toBe('/migrations');

    const position = page.getByTestId('card-position');
    await expect
      .poll(() => position.getByTestId('position-state').textContent())
      .toBe('4 pending migrations');
    expect(await position.getByTestId('position-current').textContent()).toBe('20260115_0200');
    expect(await position.getByTestId('position-head').textContent()).toBe('20260131_0000');

    const states = await page
      .getByTestId('revision-row')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-revision'), r.getAttribute('data-state')]),
      );
    expect(states.slice(-5)).toEqual([
      ['20260115_0200', 'current'],
      ['20260115_0300', 'pending'],
      ['20260127_0100', 'pending'],
      ['7702d353e5b8', 'pending'],
      ['20260131_0000', 'pending'],
    ]);
    expect(await row('20260131_0000').textContent()).toContain('head');

    expect([await count('20260115_0300', 'tables'), await count('20260115_0300', 'indexes')]).toEqual([
      '1',
      '4',
    ]);
    expect(await count('20260127_0100', 'enumValues')).toBe('1');
    expect(await row('7702d353e5b8').getByTestId('count-tables').textContent()).toBe('+1 (11 columns)');
    expect(await count('7702d353e5b8', 'indexes')).toBe('1');
    expect(
      await Promise.all(['tables', 'columns', 'indexes'].map((key) => count('20260131_0000', key))),
    ).toEqual(['1', '22', '2']);
    const totals = page.getByTestId('totals-row');
    expect(await totals.textContent()).toContain('To apply: 4 migrations');
    expect(
      await Promise.all(
        ['tables', 'columns', 'indexes', 'enumValues'].map((key) =>
          totals.getByTestId(`total-${key}`).getAttribute('data-value'),
        ),
      ),
    ).toEqual(['3', '22', '7', '1']);

    // The revision with a warning is open: its finding names the rule, the table and what to do instead.
    const details = page.locator('[data-testid="revision-details"][data-revision="20260131_0000"]');
    const reserved = details.locator('[data-rule="reserved-keyword-identifier"]');
    expect(await reserved.getAttribute('data-severity')).toBe('warning');
    expect(await reserved.textContent()).toContain('table providers');
    await reserved.locator('summary').click();
    expect(await reserved.getByTestId('finding-safe-alternative').textContent()).toContain('"references"');
    // Another revision's findings are a click away.
    await row('20260115_0300').getByTestId('revision-toggle').click();
    await expect
      .poll(() =>
        page
          .locator(
            '[data-testid="revision-details"][data-revision="20260115_0300"] [data-rule="lock-on-existing-table"]',
          )
          .count(),
      )
      .toBeGreaterThan(0);

    const drift = page.getByTestId('card-drift');
    expect(await drift.getByTestId('drift-summary').textContent()).toBe('3 tables and 22 columns missing');
    expect(await drift.getByTestId('drift-missing-tables').textContent()).toContain(
      'coordinator_notification_preferences',
    );
    expect(await drift.getByTestId('drift-missing-columns').textContent()).toContain('references');
    expect(await drift.getByTestId('drift-missing-enum-values').textContent()).toContain(
      'coordinator_action_type.stage_changed',
    );

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/migration-history-before.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('says up to date with nothing missing after the sandbox applies the migrations, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7));
    await app.control('POST', 'migrations/apply');
    await expect
      .poll(() => page.getByTestId('position-state').textContent(), { timeout: 20_000 })
      .toBe('Up to date');
    await expect
      .poll(() => page.getByTestId('drift-summary').textContent(), { timeout: 20_000 })
      .toBe('nothing missing');
    expect(await row('20260131_0000').getAttribute('data-state')).toBe('current');
    expect(await page.getByTestId('totals-row').textContent()).toContain('Nothing to apply');
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(7);
    await page.screenshot({ path: 'test-results/migration-history-after.png', fullPage: true });
  });
});

/** Two people's revisions on the same parent, never merged: Alembic refuses to upgrade. */
function twoHeadsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-two-heads-'));
  const script = (id: string, parent: string | null, message: string) =>
    `"""${message}\n\nRevision ID: ${id}\n"""\nrevision = "${id}"\ndown_revision = ${parent ? `"${parent}"` : 'None'}\n\n\ndef upgrade():\n    pass\n`;
  writeFileSync(join(dir, '0001_base.py'), script('0001', null, 'base'));
  writeFileSync(join(dir, 'a1_orders.py'), script('a1', '0001', 'add orders (branch alice)'));
  writeFileSync(join(dir, 'b2_invoices.py'), script('b2', '0001', 'add invoices (branch bob)'));
  return dir;
}

describe.skipIf(!available)('Migration History of a broken folder in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let folder: string;

  beforeAll(async () => {
    folder = twoHeadsFolder();
    app = await buildTestApp({ alembic: { versionsDir: folder } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('says in words that the history is broken, and that the database is at a revision this code lacks', async () => {
    const page = await signedInPage(browser, app, 'viewer', { width: 1400, height: 900 });
    await page.goto(`${app.url}/migrations`);
    const problem = page.getByTestId('folder-problem');
    await expect.poll(() => problem.textContent()).toContain('The revision history is broken');
    expect(await problem.locator('[data-rule="multiple-heads"]').textContent()).toContain('2 heads: a1, b2');
    await expect
      .poll(() => page.getByTestId('position-state').textContent())
      .toContain('The database is at 20260115_0200, which no script in this versions folder declares');
    // Alembic would stop on the unknown revision, so nothing is shown as about to run.
    expect(await page.locator('[data-testid="revision-row"][data-state="pending"]').count()).toBe(0);
    const undetermined = page.locator('[data-testid="revision-row"][data-state="undetermined"]');
    expect(await undetermined.count()).toBeGreaterThan(0);
    expect(await undetermined.first().getByTestId('revision-state').textContent()).toBe('not known');
    expect(await page.getByTestId('totals-row').textContent()).toContain('Nothing Alembic can apply');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/migration-history-broken.png', fullPage: true });
  });
});
