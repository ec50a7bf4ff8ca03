// Evidence 1 and 6 of issue 24, in Chromium on the sandbox: a release goes out before the deploy is
// prepared (the sandbox publishes a new version and the alias moves to it), requests fail, ops roll
// the backend back to the previous published version from the Rollbacks page and the errors stop.
// The deploy's timeline, the metrics markers, the report (printed to PDF, its tables real tables)
// and the Overview banner all show the error episode and the rollback.
import { PublishVersionCommand, UpdateAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();
const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';

describe.skipIf(!available)('what happened is the record (Chromium, sandbox)', () => {
  let app: TestApp;
  let browser: Browser;
  let lambda: LambdaClient;
  let ops: Page;
  let deployId: string;
  let released: string;
  let previous: string;
  const consoleErrors: string[] = [];

  /** Moves the scenario clock and lets every collector read the new minutes. */
  const advance = async (seconds: number) => {
    await app.control('POST', 'clock/advance', { seconds });
    // Twice: a refresh joins a poll in flight, which may have read the time before the clock moved.
    await app.app.sources.refreshAll();
    await app.app.sources.refreshAll();
  };

  beforeAll(async () => {
    app = await buildTestApp({ deploys: { evaluateMs: 300, p99TolerancePercent: 500 } });
    browser = await launchChromium();
    lambda = new LambdaClient({
      endpoint: app.sandbox!.awsEndpoint,
      region: app.sandbox!.region,
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    });
    ops = await signedInPage(browser, app, 'ops');
    ops.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  });
  afterAll(async () => {
    lambda?.destroy();
    await browser?.close();
    await app?.close();
  });

  it('the release goes out before the deploy is prepared: a new version is published and the alias moves to it', async () => {
    // The database first, so the code runs cleanly; a quarter of an hour of clean traffic after it.
    await app.control('POST', 'migrations/apply');
    await advance(15 * 60);
    previous = (await lambda.send(new PublishVersionCommand({ FunctionName: backend }))).Version!;
    await app.control('POST', `functions/${backend}/deploy`);
    released = (
      await lambda.send(new PublishVersionCommand({ FunctionName: backend, Description: 'v2.15.0' }))
    ).Version!;
    expect(Number(released)).toBeGreaterThan(Number(previous));
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', FunctionVersion: released }),
    );
    await advance(5 * 60);

    await ops.goto(`${app.url}/deploys`);
    await ops.getByTestId('release-name').fill('v2.15.0');
    await ops.getByTestId('prepare-deploy').click();
    // The prepare dialog asks to confirm where it does (another branch adds it).
    const confirm = ops.getByTestId('prepare-confirm');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await expect.poll(() => new URL(ops.url()).pathname).toMatch(/^\/deploys\/production-/);
    deployId = new URL(ops.url()).pathname.split('/').pop()!;
  });

  it('failures are injected: the error episode starts on the timeline and the Overview banner is red with its reasons', async () => {
    await ops.goto(app.url);
    await ops.getByTestId('fail-requests').click();
    // Metrics count whole minutes: the failed minute becomes whole once the next one starts.
    await expect.poll(() => ops.getByTestId('fail-requests').isEnabled()).toBe(true);
    await advance(90);
    const banner = ops.getByTestId('active-deploy');
    await expect
      .poll(() => banner.getByTestId('banner-record').textContent(), { timeout: 20_000 })
      .toContain('Errors started');
    expect(await banner.getAttribute('data-tone')).not.toBe('go');
    expect(await banner.getByTestId('banner-verdict').textContent()).toMatch(/NO-GO$/);
    expect((await banner.getByTestId('banner-reasons').textContent())?.length).toBeGreaterThan(0);
    await ops.screenshot({ path: '/tmp/i24-record-overview-errors.png', fullPage: true });
  });

  it('ops roll the backend back to the previous published version from the Rollbacks page; it verifies, and the errors stop', async () => {
    await ops.getByRole('link', { name: 'Rollbacks' }).click();
    await ops.getByTestId(`rollback-lambda-${backend}`).click();
    const plan = ops.getByTestId('rollback-plan');
    await expect
      .poll(() => plan.getByTestId('plan-change').textContent())
      .toBe(`prod -> ${released} → prod -> ${previous}`);
    await plan.getByTestId('rollback-confirmation').fill(backend);
    await plan.getByTestId('rollback-confirm').click();
    const job = ops.getByTestId('rollback-job');
    // The alias is back; the job verifies until a whole minute of traffic follows the change.
    await expect.poll(() => job.getByTestId('job-state').textContent()).toBe('verifying');
    expect(await job.getByTestId('verification-error-rate').textContent()).toContain(
      'waiting for a whole minute',
    );
    expect(await job.getByTestId('job-verifying-note').textContent()).toContain('a whole minute of traffic');
    await ops.screenshot({ path: '/tmp/i24-record-job-verifying.png', fullPage: true });
    await advance(180);
    await expect
      .poll(() => job.getByTestId('job-state').textContent(), { timeout: 20_000 })
      .toBe('succeeded');
    expect(await job.getByTestId('verification-error-rate').textContent()).toMatch(
      /Error rate fell: .* → 0\.00 %/,
    );
  });

  it('the timeline holds the episode with its counts, the rollback with its verification, and the alias change by Flightdeck', async () => {
    await ops.goto(`${app.url}/deploys/${deployId}`);
    const timeline = ops.getByTestId('deploy-timeline');
    await expect
      .poll(() => timeline.textContent(), { timeout: 20_000 })
      .toMatch(/Backend API: errors stopped after \d+ min — \d+ errors in \d+ invocations/);
    const text = (await timeline.textContent())!;
    expect(text).toContain('Backend API: errors started');
    expect(text).toMatch(
      new RegExp(
        `started rollback job [0-9a-f-]{36}: lambda ${backend}, prod -> ${released} → prod -> ${previous}`,
      ),
    );
    expect(text).toMatch(
      new RegExp(`alias prod: version ${released} → ${previous}, by Flightdeck, rollback job`),
    );
    expect(text).toMatch(/applied; verifying with a minute of traffic after the change/);
    expect(text).toMatch(/Rolled back: Rollback job .* succeeded; verification: ok: .*points to version/);
    expect(text).toMatch(/Error rate fell/);
    await ops.screenshot({ path: '/tmp/i24-record-timeline.png', fullPage: true });
  });

  it('the metrics charts carry a marker of each kind, each with a tooltip', async () => {
    await ops.getByRole('link', { name: 'Metrics' }).click();
    const list = ops.getByTestId('deploy-markers');
    for (const kind of ['errors-started', 'errors-stopped', 'rollback', 'alias-changed'])
      await expect
        .poll(() => list.locator(`[data-kind="${kind}"]`).count(), { message: kind })
        .toBeGreaterThan(0);
    const backendCharts = ops.locator(`[data-testid="metrics-function"][data-function="${backend}"]`);
    const onChart = backendCharts.getByTestId('chart-marker');
    await expect
      .poll(() => onChart.locator('xpath=self::*[@data-kind="errors-started"]').count())
      .toBeGreaterThan(0);
    const tooltip = await backendCharts
      .locator('[data-testid="chart-marker"][data-kind="errors-stopped"] title')
      .first()
      .textContent();
    expect(tooltip).toMatch(
      /^errors stopped — \d{4}-\d\d-\d\d \d\d:\d\d UTC — Errors stopped: Backend API: errors stopped after/,
    );
    await ops.screenshot({ path: '/tmp/i24-record-metrics.png', fullPage: true });
  });

  it('the report says what happened, in order; printed, its tables are tables', async () => {
    const report = await browser.newPage();
    await report.context().addCookies([{ ...app.identityCookie('viewer'), url: app.url }]);
    await report.goto(`${app.url}/api/v1/deploys/${deployId}/report`);
    await report.getByRole('heading', { name: 'What happened' }).waitFor();
    const rows = report
      .locator('section', { has: report.getByRole('heading', { name: 'What happened' }) })
      .locator('tbody tr');
    const events = await rows.locator('td:nth-child(2)').allTextContents();
    const order = ['Errors started', 'Rollback started', 'Rollback applied, verifying', 'Errors stopped'].map(
      (e) => events.indexOf(e),
    );
    expect(
      order.every((i) => i >= 0),
      events.join(', '),
    ).toBe(true);
    expect(order[0]).toBeLessThan(order[1]!);
    expect(events).toContain('Deploy rolled back');
    expect(events).toContain('Alias changed');
    // Real tables, no Markdown pipes, no emoji standing alone.
    expect(await report.locator('table').count()).toBeGreaterThanOrEqual(3);
    expect(await report.locator('pre').count()).toBe(0);
    const body = (await report.locator('body').textContent())!;
    expect(body).not.toContain('|---|');
    expect(body).not.toMatch(/\p{Extended_Pictographic}/u);
    await report.screenshot({ path: '/tmp/i24-report-page.png', fullPage: true });
    await report.emulateMedia({ media: 'print' });
    await report.screenshot({ path: '/tmp/i24-report-print.png', fullPage: true });
    const pdf = await report.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // One page per section where it fits: more pages than the summary alone.
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(5);
    await report.close();
  });

  it('the Overview banner shows the deploy rolled back, the errors stopped and the rollback', async () => {
    await ops.goto(app.url);
    const banner = ops.getByTestId('active-deploy');
    await expect.poll(() => banner.getAttribute('data-tone')).toBe('rolled-back');
    const lately = (await banner.getByTestId('banner-record').textContent())!;
    expect(lately).toContain('Deploy rolled back');
    expect(lately).toContain('Errors stopped');
    await ops.screenshot({ path: '/tmp/i24-record-overview-rolled-back.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
