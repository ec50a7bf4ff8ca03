// Evidence 6: an ops user clicks the Lambda rollback, sees the plan, types the confirmation,
// watches the progress and sees the verification; a viewer cannot.
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();
const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';

describe.skipIf(!available)('Rollbacks in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await buildTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('ops: plan, typed confirmation, progress, verification', async () => {
    const page = await signedInPage(browser, app, 'ops');
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Rollbacks' }).click();
    await page.getByTestId(`rollback-lambda-${backend}`).click();

    const plan = page.getByTestId('rollback-plan');
    await expect.poll(() => plan.getByTestId('plan-change').textContent()).toBe('prod -> 14 → prod -> 13');
    expect(await plan.getByTestId('plan-call').textContent()).toContain('UpdateAlias');
    expect(await plan.getByTestId('plan-order').textContent()).toContain('The alias can go back alone');

    const confirm = plan.getByTestId('rollback-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await plan.getByTestId('rollback-confirmation').fill('credmate');
    expect(await confirm.isDisabled()).toBe(true);
    await plan.getByTestId('rollback-confirmation').fill(backend);
    await confirm.click();

    const job = page.getByTestId('rollback-job');
    // The alias is back; verification is part of the job: it waits for a minute of traffic.
    await expect.poll(() => job.getByTestId('job-state').textContent()).toBe('verifying');
    expect(await job.getByTestId('job-steps').textContent()).toContain('update alias');
    expect(await job.getByTestId('job-verification').textContent()).toContain(
      `${backend}:prod points to version 13, the target`,
    );
    // The error rate is watched as the minutes after the rollback come in.
    expect(await job.getByTestId('verification-error-rate').textContent()).toContain(
      'waiting for a whole minute',
    );
    await app.control('POST', 'clock/advance', { seconds: 180 });
    await app.app.sources.refreshAll();
    await expect
      .poll(() => job.getByTestId('verification-error-rate').textContent(), { timeout: 20_000 })
      .toMatch(/Error rate fell: .* → 0\.00 % in the \d+ min since/);
    await expect.poll(() => job.getByTestId('job-state').textContent()).toBe('succeeded');
    await page.screenshot({ path: '/tmp/i11-rollbacks-ops.png', fullPage: true });

    // The Audit page shows the rollback: who, what, the result naming the job.
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByTestId('audit-filter-action').fill('rollbacks');
    await expect
      .poll(() =>
        page.getByTestId('audit-row').filter({ hasText: 'POST /api/v1/rollbacks' }).first().textContent(),
      )
      .toMatch(/POST \/api\/v1\/rollbacks.*202 id /);
    await page.screenshot({ path: '/tmp/i11-audit.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('ops: an RDS restore states the data it loses and the real instance name, then waits for the cut-over', async () => {
    const page = await signedInPage(browser, app, 'ops');
    await page.goto(`${app.url}/rollbacks`);
    await page.getByTestId('rollback-rds-prod-credmate-db').click();
    const plan = page.getByTestId('rollback-plan');
    const warnings = plan.getByTestId('plan-warnings');
    await expect
      .poll(() => warnings.textContent())
      .toMatch(/Writes made after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, the snapshot's time/);
    const restoredName = /prod-credmate-db-restored-[0-9a-f]{8}/.exec((await warnings.textContent())!)![0];
    expect(await plan.getByTestId('plan-call').textContent()).toContain(
      `"DBInstanceIdentifier": "${restoredName}"`,
    );
    expect(await plan.getByTestId('plan-order').textContent()).toMatch(/^The database goes back/);
    await plan.getByTestId('rollback-confirmation').fill('prod-credmate-db');
    await plan.getByTestId('rollback-confirm').click();

    // The job has its own address: a reload keeps it.
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/rollbacks\/[0-9a-f-]{36}$/);
    const job = page.getByTestId('rollback-job');
    await expect.poll(() => job.getByTestId('job-steps').textContent()).toContain('creating');
    await app.control('POST', 'clock/advance', { seconds: 16 * 60 });
    await expect
      .poll(() => job.getByTestId('job-state').textContent(), { timeout: 20_000 })
      .toBe('restored — cut-over pending');
    await page.reload();
    await expect.poll(() => page.getByTestId('job-state').textContent()).toBe('restored — cut-over pending');
    expect(await page.getByTestId('job-verification').textContent()).toContain(restoredName);
    await page.screenshot({ path: '/tmp/i24-restore-cut-over-pending.png', fullPage: true });
    await page.getByTestId('mark-cut-over').click();
    await expect.poll(() => page.getByTestId('job-state').textContent()).toBe('succeeded');
    await page.context().close();
  });

  it('viewer: sees the targets but no rollback button', async () => {
    const page = await signedInPage(browser, app, 'viewer');
    await page.goto(`${app.url}/rollbacks`);
    await expect
      .poll(() => page.getByTestId('rollback-disabled-reason').textContent())
      .toContain('Only ops can roll back');
    expect(await page.getByTestId(`rollback-lambda-${backend}`).count()).toBe(0);
    await page.context().close();
  });
});
