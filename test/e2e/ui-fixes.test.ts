// The smaller fixes of issue 24 in Chromium on the sandbox: a switched metrics window says it is
// loading instead of showing the old window's charts under the new title; the migration history
// keeps an applied revision's findings and says when, in which deploy (a link) and by whom it was
// applied. (The prepare dialog and the one phase everywhere are in deploys.test.ts; the sticky
// verdict in layout.test.ts.)
import { mkdirSync } from 'node:fs';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { DeployDetail } from '@flightdeck/contracts';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('the smaller fixes in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  const prepare = async () => {
    const headers = await app.signIn('ops');
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${app.url}/api/v1/deploys`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
        },
        body: JSON.stringify({ release: { name: 'v2.14.0' } }),
      });
      // 503: the sources have not answered yet.
      if (response.status === 503 && attempt < 20) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    }
  };

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    app = await buildTestApp({ deploys: { evaluateMs: 500 } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a switched metrics window shows that it loads, not the previous window under the new title', async () => {
    const page = await signedInPage(browser, app, 'viewer');
    await page.goto(`${app.url}/metrics?window=1h`);
    await expect
      .poll(() => page.getByTestId('metrics-chart').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // The 3-hour window's answer is held back: what does the page show meanwhile?
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      await held;
      await route.continue().catch(() => undefined);
    };
    await page.route('**/api/v1/metrics?window=3h', hold);
    await page.getByTestId('window-3h').click();
    await expect.poll(() => page.getByTestId('metrics-loading').textContent()).toBe('Loading the last 3h…');
    expect(await page.getByTestId('metrics-chart').count()).toBe(0);
    expect(await page.getByText('Lambda metrics, last 3h').count()).toBe(0);
    await page.screenshot({ path: 'test-results/metrics-window-loading.png' });
    release();
    await expect
      .poll(() => page.getByTestId('metrics-chart').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('metrics-loading').count()).toBe(0);
    expect(await page.getByTestId('card-metrics-window').textContent()).toContain('Lambda metrics, last 3h');
    await page.unroute('**/api/v1/metrics?window=3h', hold);
    await page.context().close();
  });

  it('applied revisions keep their findings and name the deploy that applied them, when and by whom', async () => {
    const deployId = await prepare();
    // The snapshot completes, the sandbox applies the migrations; the deploy sees its target reached.
    await app.control('POST', 'clock/advance', { seconds: 16 * 60 });
    await app.control('POST', 'migrations/apply');
    await expect
      .poll(async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body.deploy.migratedAt, {
        timeout: 30_000,
      })
      .not.toBeNull();

    const page = await signedInPage(browser, app, 'viewer');
    await page.goto(`${app.url}/migrations`);
    const row = (revision: string) =>
      page.locator(`[data-testid="revision-row"][data-revision="${revision}"]`);
    await expect
      .poll(() => row('20260131_0000').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('current');
    for (const revision of ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000']) {
      const appliedBy = row(revision).getByTestId('revision-applied-by');
      await expect.poll(() => appliedBy.textContent(), { message: revision }).toContain(deployId);
      expect(await appliedBy.textContent()).toMatch(
        /^applied \d{4}-\d\d-\d\d \d\d:\d\d UTC in v2\.14\.0 \(production-\d{8}T\d{6}Z\), seen by Flightdeck; prepared by omar@sandbox\.flightdeck$/,
      );
    }
    // The base revision was there before any deploy: nothing claims it.
    expect(await row('20260115_0200').getByTestId('revision-applied-by').count()).toBe(0);

    // The reserved-word finding of the last revision is still there once it ran.
    await row('20260131_0000').getByTestId('revision-toggle').click();
    const details = page.locator('[data-testid="revision-details"][data-revision="20260131_0000"]');
    await expect
      .poll(() => details.locator('[data-rule="reserved-keyword-identifier"]').count())
      .toBeGreaterThan(0);
    expect(await row('20260131_0000').getByTestId('revision-toggle').textContent()).toMatch(/warning/);
    await page.screenshot({ path: 'test-results/migration-history-applied.png', fullPage: true });

    await row('20260131_0000').getByTestId('revision-applied-deploy').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/deploys/${deployId}`);
    await page.getByTestId('deploy-summary').waitFor();
    await page.context().close();
  });
});
