// Evidence 4: the migration minute in Chromium on the sandbox. Ops open a long transaction from the
// scenario panel and the Deploy page shows the NO-GO reason; they end it, play the migration and
// watch the live panel with the requests waiting behind it; then the measured table is in the report.
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('the locks panel in Chromium (sandbox)', () => {
  let app: TestApp;
  let browser: Browser;
  let ops: Page;
  const consoleErrors: string[] = [];

  const lockItemState = async () =>
    (await ops.getByTestId('item-no-lock-blockers').getByTestId('item-state').textContent())?.slice(2);

  beforeAll(async () => {
    app = await buildTestApp({
      deploys: { evaluateMs: 500, lockBlockerSeconds: 1, p99TolerancePercent: 500 },
      locks: { readyIntervalMs: 500, migratingIntervalMs: 500, idleIntervalMs: 1000 },
    });
    browser = await launchChromium();
    ops = await signedInPage(browser, app, 'ops');
    ops.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a long transaction is a NO-GO reason; the played migration shows who waits; the report has the measured table', async () => {
    await ops.goto(app.url);
    await ops.getByTestId('card-alembic').waitFor();
    await ops.getByRole('link', { name: 'Deploys' }).click();
    await ops.getByTestId('prepare-deploy').click();
    // The dialog says what preparing does on production and asks first.
    await ops.getByTestId('prepare-confirm').click();
    await expect.poll(() => ops.getByTestId('verdict-question').textContent()).toBe('Go for the migration?');
    const deployPath = new URL(ops.url()).pathname;
    const deployId = deployPath.split('/').pop()!;
    // The snapshot becomes available a minute on: the deploy is ready for its migration.
    await app.control('POST', 'clock/advance', { seconds: 61 });

    await ops.goto(app.url);
    await ops.getByTestId('open-long-transaction').click();
    await ops.getByTestId('card-locks-compact').getByTestId('locks-no-go').waitFor();
    await ops.goto(`${app.url}${deployPath}`);
    await expect
      .poll(() => ops.getByTestId('card-locks').getByTestId('locks-no-go').textContent())
      .toMatch(
        /NO-GO: providers: 1 session in a transaction open \d+ s \(credmate worker, idle in transaction\) would block ALTER TABLE/,
      );
    await expect.poll(lockItemState).toBe('fail');
    expect(await ops.getByTestId('verdict-reasons').textContent()).toContain(
      'No open transaction holds a lock the migration would wait for',
    );
    await ops.screenshot({ path: '/tmp/locks-no-go.png', fullPage: true });

    await ops.goto(app.url);
    await ops.getByTestId('end-long-transaction').click();
    await ops.getByTestId('card-locks-compact').getByTestId('locks-clear').waitFor();
    await ops.getByTestId('play-migration').click();
    await expect
      .poll(() => ops.getByTestId('card-locks-compact').getByTestId('locks-migration').textContent())
      .toContain('3 sessions waiting behind it');
    await ops.goto(`${app.url}${deployPath}`);
    const panel = ops.getByTestId('card-locks');
    await expect
      .poll(() => panel.getByTestId('locks-statement').textContent())
      .toContain('ALTER TABLE providers');
    expect(await panel.getByTestId('lock-session').count()).toBe(3);
    expect(await panel.getByTestId('locks-guidance').textContent()).toContain("SET lock_timeout = '5s'");
    // Past deploys.lockWaitAlertSeconds (10 s) the panel turns red.
    await expect
      .poll(() => panel.getByTestId('locks-migration').getAttribute('class'), { timeout: 20_000 })
      .toContain('status--bad');
    await ops.screenshot({ path: '/tmp/locks-during.png', fullPage: true });

    // Applied once played: the lock figures are stored and shown, and the report has the table.
    await panel.getByTestId('locks-measured').waitFor({ timeout: 40_000 });
    expect(await panel.getByTestId('locks-measured').textContent()).toContain('one lock window');
    await ops.screenshot({ path: '/tmp/locks-after.png', fullPage: true });
    await expect
      .poll(
        () =>
          ops.evaluate(
            (id) =>
              fetch(`/api/v1/deploys/${id}/report`, { headers: { accept: 'text/markdown' } }).then((r) =>
                r.text(),
              ),
            deployId,
          ),
        { timeout: 20_000 },
      )
      .toContain('## Locks during the migration (measured)');
    const markdown = await ops.evaluate(
      (id) =>
        fetch(`/api/v1/deploys/${id}/report`, { headers: { accept: 'text/markdown' } }).then((r) => r.text()),
      deployId,
    );
    expect(markdown).toMatch(/\| providers \| ACCESS EXCLUSIVE \| [\d.]+ s \| [\d.]+ s \| 3 \|/);
    expect(markdown).toContain('one lock window');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  }, 150_000);
});
