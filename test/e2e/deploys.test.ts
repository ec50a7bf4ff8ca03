// Evidence 1: the deploy story in Chromium on the sandbox. Ops prepare the deploy and watch the
// snapshot; the sandbox applies the migrations and plays the clock; the automatic items turn green
// with their evidence; a lead signs off the rest; GO; the downloaded report holds the figures.
import { readFile } from 'node:fs/promises';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();
const manualItems = ['frontend-commit', 'rollback-procedures', 'migration-tested', 'workflows'];
const automaticItems = [
  'snapshot',
  'lambda-versions',
  'alembic-at-head',
  'schema-applied',
  'health',
  'error-rate',
  'response-times',
  'schema-errors',
];

describe.skipIf(!available)('the Deploy page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let ops: Page;
  let lead: Page;
  const consoleErrors: string[] = [];

  const itemState = (page: Page, id: string) => page.getByTestId(`item-${id}`).getByTestId('item-state');
  const stateOf = async (page: Page, id: string) => (await itemState(page, id).textContent())?.slice(2);

  beforeAll(async () => {
    app = await buildTestApp({ deploys: { evaluateMs: 500 } });
    browser = await launchChromium();
    ops = await signedInPage(browser, app, 'ops');
    lead = await signedInPage(browser, app, 'lead');
    for (const page of [ops, lead])
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('ops prepare the deploy; the snapshot shows its progress, then available; the verdict is NO-GO with reasons', async () => {
    await ops.goto(app.url);
    await ops.getByTestId('card-alembic').waitFor();
    expect(await ops.getByTestId('active-deploy').count()).toBe(0);
    await ops.getByRole('link', { name: 'Deploy' }).click();
    await ops.getByTestId('prepare-deploy').click();

    await expect.poll(() => ops.getByTestId('verdict-word').textContent()).toBe('NO-GO');
    await expect.poll(() => ops.getByTestId('snapshot-status').textContent()).toBe('creating');
    expect(await ops.getByTestId('snapshot-percent').textContent()).toMatch(/^\d+ %$/);
    await expect
      .poll(() => ops.getByTestId('item-snapshot').getByTestId('item-evidence').textContent())
      .toMatch(/creating \(\d+ %\)/);
    expect(await ops.getByTestId('verdict-reasons').textContent()).toContain(
      'Alembic version updated to target, nothing pending',
    );
    expect(await ops.getByTestId('prepare-deploy').isDisabled()).toBe(true);
    await ops.screenshot({ path: '/tmp/i10-deploy-preparing.png', fullPage: true });

    // The preparer cannot sign off: the server refuses and the page says why.
    await ops.getByTestId('sign-off-comment-frontend-commit').fill('tagged v2.4.0');
    await ops.getByTestId('sign-off-frontend-commit').click();
    await expect
      .poll(() => ops.getByTestId('sign-off-error-frontend-commit').textContent())
      .toContain('another lead must sign off');

    // The Overview links to the deploy; its scenario panel moves the clock: RDS finishes the snapshot.
    await ops.getByRole('link', { name: 'Overview' }).click();
    await ops.getByTestId('advance-clock').click();
    await ops.getByTestId('active-deploy-link').click();
    await expect.poll(() => ops.getByTestId('snapshot-status').textContent()).toBe('available');
    expect(await ops.getByTestId('snapshot-percent').textContent()).toBe('100 %');
    await expect.poll(() => stateOf(ops, 'snapshot')).toBe('pass');
    await expect.poll(() => ops.getByTestId('deploy-phase').textContent()).toBe('ready');
  });

  it('the sandbox applies the migrations and plays the clock: the automatic items turn green with evidence', async () => {
    await ops.getByRole('link', { name: 'Overview' }).click();
    await ops.getByTestId('apply-migrations').click();
    await expect.poll(() => ops.getByTestId('apply-migrations').isDisabled()).toBe(true);
    // Fifteen scenario minutes on, the error window holds only post-migration traffic.
    await ops.getByTestId('advance-clock').click();
    await ops.getByTestId('active-deploy-link').click();
    await expect.poll(() => ops.getByTestId('deploy-phase').textContent()).toBe('monitoring');
    for (const id of automaticItems) await expect.poll(() => stateOf(ops, id), { message: id }).toBe('pass');
    const evidence = (id: string) => ops.getByTestId(`item-${id}`).getByTestId('item-evidence').textContent();
    expect(await evidence('alembic-at-head')).toContain('at head 20260131_0000');
    expect(await evidence('error-rate')).toMatch(/0 errors in \d+ invocations \(0\.00 %\)/);
    expect(await evidence('health')).toContain('HTTP 200');
    expect(await ops.getByTestId('item-error-rate').getByTestId('item-age').textContent()).toMatch(
      /\(\d+ s ago\)/,
    );
    // Only the lead's items are left.
    const reasons = await ops.getByTestId('verdict-reasons').textContent();
    expect(reasons).toContain('waiting for a lead’s sign-off');
    expect(reasons).not.toContain('Error rates at zero');
  });

  it('a lead signs off the manual items (a comment is required, a revoke needs a reason): GO', async () => {
    await lead.goto(`${app.url}/deploys`);
    await lead.getByTestId('item-frontend-commit').waitFor();
    expect(await lead.getByTestId('sign-off-frontend-commit').isDisabled()).toBe(true);
    for (const id of manualItems) {
      await lead.getByTestId(`sign-off-comment-${id}`).fill(`checked ${id}`);
      await lead.getByTestId(`sign-off-${id}`).click();
      await expect.poll(() => stateOf(lead, id)).toBe('signed-off');
    }
    expect(await lead.getByTestId('item-workflows').getByTestId('item-sign-off').textContent()).toContain(
      'Signed off by lee@sandbox.flightdeck',
    );

    await lead.getByTestId('revoke-reason-rollback-procedures').fill('the guide still names $LATEST');
    await lead.getByTestId('revoke-rollback-procedures').click();
    await expect.poll(() => stateOf(lead, 'rollback-procedures')).toBe('pending');
    expect(await lead.getByTestId('verdict-word').textContent()).toBe('NO-GO');
    expect(await lead.getByTestId('verdict-reasons').textContent()).toContain(
      'revoked by lee@sandbox.flightdeck: the guide still names $LATEST',
    );
    await lead.getByTestId('sign-off-comment-rollback-procedures').fill('guide fixed: version 13');
    await lead.getByTestId('sign-off-rollback-procedures').click();

    await expect.poll(() => lead.getByTestId('verdict-word').textContent()).toBe('GO');
    expect(await lead.getByTestId('verdict-reasons').count()).toBe(0);
    await expect
      .poll(() => lead.getByTestId('deploy-timeline').textContent())
      .toContain('lee@sandbox.flightdeck signed off rollback-procedures: guide fixed: version 13');
    await lead.screenshot({ path: '/tmp/i10-deploy-go.png', fullPage: true });
  });

  it('downloads the report with the revisions, the counts and the error-rate figures; the printable page opens', async () => {
    const [download] = await Promise.all([
      lead.waitForEvent('download'),
      lead.getByTestId('download-report').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^deployment-report-production-\d{8}T\d{6}Z\.md$/);
    const markdown = await readFile((await download.path())!, 'utf8');
    expect(markdown).toContain('Database revision 20260115_0200 → 20260131_0000');
    for (const revision of ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'])
      expect(markdown).toMatch(new RegExp(`\\| ${revision} \\| .* \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\|`));
    expect(markdown).toMatch(/\| Before \| \d+ \| [1-9]\d* \| \d+\.\d\d % \|/);
    expect(markdown).toMatch(/\| After \| \d+ \| 0 \| 0\.00 % \|/);

    const [printable] = await Promise.all([
      lead.context().waitForEvent('page'),
      lead.getByTestId('printable-report').click(),
    ]);
    await printable.waitForLoadState();
    expect(await printable.locator('pre').textContent()).toContain('## Metrics before and after');
    await printable.close();
  });

  it('after the migration, requests failing in the sandbox turn the error-rate item red: NO-GO says why', async () => {
    await ops.getByRole('link', { name: 'Overview' }).click();
    await ops.getByTestId('fail-requests').click();
    await expect.poll(() => ops.getByTestId('fail-requests').isDisabled()).toBe(false);
    // Metrics count whole minutes: a minute on, every failure is in one.
    await ops.getByTestId('advance-clock-minute').click();
    await ops.getByTestId('active-deploy-link').click();
    await expect.poll(() => stateOf(ops, 'error-rate')).toBe('fail');
    expect(await ops.getByTestId('verdict-word').textContent()).toBe('NO-GO');
    // An evaluation between the failures and the minute closing counts only part of them: wait for all 20.
    await expect
      .poll(() => ops.getByTestId('verdict-reasons').textContent())
      .toMatch(/Error rates at zero \(last 10 minutes\): 20 errors in \d+ invocations \(\d+\.\d\d %\)/);
    await ops.screenshot({ path: '/tmp/i10-deploy-errors.png', fullPage: true });
    // A viewer reads it all but changes nothing.
    const viewer = await signedInPage(browser, app, 'viewer');
    await viewer.goto(`${app.url}/deploys`);
    await expect.poll(() => viewer.getByTestId('verdict-word').textContent()).toBe('NO-GO');
    expect(await viewer.getByTestId('prepare-deploy').isDisabled()).toBe(true);
    expect(await viewer.locator('.sign-off').count()).toBe(0);
    await viewer.context().close();
    // The one error the browser logged is the preparer's refused sign-off (403), shown on the page.
    expect(consoleErrors).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
  });
});
