// The deploy story in Chromium on the sandbox. Ops prepare a release with its details and watch the
// snapshot; the sandbox applies the migrations and plays the clock; the automatic items turn green
// with their evidence; a lead signs off the rest; healthy, the watch starts; the downloaded report
// holds the figures; the lead finishes the deploy, and it opens read-only from the deploy list.
import { readFile } from 'node:fs/promises';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();
const automaticItems = [
  'snapshot',
  'lambda-versions',
  'migration-tested',
  'alembic-at-head',
  'schema-applied',
  'health',
  'error-rate',
  'response-times',
  'schema-errors',
];

describe.skipIf(!available)('the Deploy pages in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let ops: Page;
  let lead: Page;
  let deployId: string;
  const consoleErrors: string[] = [];

  const itemState = (page: Page, id: string) => page.getByTestId(`item-${id}`).getByTestId('item-state');
  const stateOf = async (page: Page, id: string) => (await itemState(page, id).textContent())?.slice(2);

  beforeAll(async () => {
    // The sandbox's p99 is drawn from few invocations at quiet hours of its simulated day: room for
    // that noise, so this test judges the page, not the time of day it runs at (the p99 rule has
    // its own tests in packages/core).
    app = await buildTestApp({ deploys: { evaluateMs: 500, p99TolerancePercent: 500 } });
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

  it('ops prepare a release with its details; the migration gate judges the pre-deploy items only', async () => {
    await ops.goto(app.url);
    await ops.getByTestId('card-alembic').waitFor();
    expect(await ops.getByTestId('active-deploy').count()).toBe(0);
    await ops.getByRole('link', { name: 'Deploys' }).click();
    await ops.getByTestId('release-name').fill('v2.14.0');
    await ops.getByTestId('release-commit').fill('4f2a9e1');
    await ops.getByTestId('release-notes').fill('notification preferences for coordinators');
    await ops.getByTestId('prepare-deploy').click();
    // It says what it will do on production and asks first: nothing is prepared yet.
    const dialog = ops.getByTestId('prepare-confirm-dialog');
    await expect.poll(() => dialog.textContent()).toContain('calls RDS CreateDBSnapshot on production now');
    const snapshotName = /^prod-credmate-db-pre-migration-\d{8}-\d{6}$/;
    await expect.poll(() => dialog.getByTestId('prepare-snapshot-name').textContent()).toMatch(snapshotName);
    expect(await dialog.getByTestId('prepare-instance').textContent()).toBe('prod-credmate-db');
    expect(new URL(ops.url()).pathname).toBe('/deploys');
    expect((await app.get<{ deploys: unknown[] }>('/api/v1/deploys')).body.deploys).toEqual([]);
    await dialog.getByTestId('prepare-confirm').click();

    await expect.poll(() => ops.getByTestId('verdict-question').textContent()).toBe('Go for the migration?');
    expect(await ops.getByTestId('release-name').textContent()).toBe('v2.14.0');
    expect(await ops.getByTestId('release-commit').textContent()).toBe('4f2a9e1');
    deployId = new URL(ops.url()).pathname.split('/').pop()!;
    expect(await ops.getByTestId('deploy-snapshot').locator('.card__freshness').textContent()).toMatch(
      snapshotName,
    );
    await expect.poll(() => ops.getByTestId('snapshot-status').textContent()).toBe('creating');
    // A snapshot being taken is on its way, not a failure.
    await expect
      .poll(() => ops.getByTestId('item-snapshot').getByTestId('item-evidence').textContent())
      .toMatch(/creating \(\d+ %\)/);
    expect(await stateOf(ops, 'snapshot')).toBe('pending');
    const reasons = await ops.getByTestId('verdict-reasons').textContent();
    expect(reasons).toContain('Frontend commit documented and tagged');
    // The post-deploy items wait for their phase: no reason against the migration.
    expect(reasons).not.toContain('Alembic version updated to target');
    expect(reasons).not.toContain('Error rates at zero');
    expect(await ops.getByTestId('gate-healthy').getByTestId('gate-verdict').textContent()).toBe('pending');

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
    await expect.poll(() => stateOf(ops, 'snapshot')).toBe('pass');
    await expect.poll(() => ops.getByTestId('deploy-phase').textContent()).toBe('ready');
    expect(await ops.getByTestId('transition-cancel').isVisible()).toBe(true);
    // One phase everywhere: the Overview's line says ready at once, before its own (held) list answers.
    const holdList = async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await route.continue().catch(() => undefined);
    };
    await ops.route('**/api/v1/deploys', holdList);
    await ops.getByRole('link', { name: 'Overview' }).click();
    expect(await ops.getByTestId('active-deploy').locator('.tag').first().textContent()).toBe('ready');
    await ops.unroute('**/api/v1/deploys', holdList);
    await ops.getByTestId('active-deploy-link').click();
    await expect.poll(() => ops.getByTestId('deploy-phase').textContent()).toBe('ready');
    await ops.screenshot({ path: '/tmp/i18-deploy-ready.png', fullPage: true });
  });

  it('the sandbox applies the migrations and plays the clock: verifying, the automatic items green with evidence', async () => {
    await ops.getByRole('link', { name: 'Overview' }).click();
    await ops.getByTestId('apply-migrations').click();
    await expect.poll(() => ops.getByTestId('apply-migrations').isDisabled()).toBe(true);
    // Fifteen scenario minutes on, the error window holds only post-migration traffic.
    await ops.getByTestId('advance-clock').click();
    await ops.getByTestId('active-deploy-link').click();
    await expect.poll(() => ops.getByTestId('deploy-phase').textContent()).toBe('verifying');
    for (const id of automaticItems) await expect.poll(() => stateOf(ops, id), { message: id }).toBe('pass');
    const evidence = (id: string) => ops.getByTestId(`item-${id}`).getByTestId('item-evidence').textContent();
    expect(await evidence('alembic-at-head')).toContain('at head 20260131_0000');
    expect(await evidence('error-rate')).toMatch(/0 errors in \d+ invocations \(0\.00 %\)/);
    expect(await evidence('health')).toContain('HTTP 200');
    expect(await evidence('migration-tested')).toContain('20260115_0200 → 20260131_0000');
    expect(await ops.getByTestId('verdict-question').textContent()).toBe('Healthy?');
    // Only the lead's post-deploy item is left.
    await expect
      .poll(() => ops.getByTestId('verdict-reasons').textContent())
      .toContain('Notification preferences, messaging and end-to-end workflows tested');
  });

  it('a lead signs off the manual items (a comment is required, a revoke needs a reason): healthy, the watch starts', async () => {
    await lead.goto(`${app.url}/deploys/${deployId}`);
    await lead.getByTestId('item-frontend-commit').waitFor();
    expect(await lead.getByTestId('sign-off-frontend-commit').isDisabled()).toBe(true);
    for (const id of ['frontend-commit', 'rollback-procedures']) {
      await lead.getByTestId(`sign-off-comment-${id}`).fill(`checked ${id}`);
      await lead.getByTestId(`sign-off-${id}`).click();
      await expect.poll(() => stateOf(lead, id)).toBe('signed-off');
    }
    await lead.getByTestId('revoke-reason-rollback-procedures').fill('the guide still names $LATEST');
    await lead.getByTestId('revoke-rollback-procedures').click();
    await expect.poll(() => stateOf(lead, 'rollback-procedures')).toBe('pending');
    await lead.getByTestId('sign-off-comment-rollback-procedures').fill('guide fixed: version 13');
    await lead.getByTestId('sign-off-rollback-procedures').click();
    await expect.poll(() => stateOf(lead, 'rollback-procedures')).toBe('signed-off');
    expect(await lead.getByTestId('gate-migration').getByTestId('gate-verdict').textContent()).toBe('GO');

    await lead.getByTestId('sign-off-comment-workflows').fill('preferences saved and read back');
    await lead.getByTestId('sign-off-workflows').click();
    await expect.poll(() => lead.getByTestId('deploy-phase').textContent()).toBe('monitoring');
    expect(await lead.getByTestId('gate-healthy').getByTestId('gate-verdict').textContent()).toBe('GO');
    expect(await lead.getByTestId('verdict-question').textContent()).toBe('Go to close?');
    await expect
      .poll(() => lead.getByTestId('deploy-timeline').textContent())
      .toContain('lee@sandbox.flightdeck signed off rollback-procedures: guide fixed: version 13');
    await lead.screenshot({ path: '/tmp/i18-deploy-monitoring.png', fullPage: true });
  });

  it('downloads the report with the release, the revisions, the counts and the error-rate figures', async () => {
    const [download] = await Promise.all([
      lead.waitForEvent('download'),
      lead.getByTestId('download-report').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^deployment-report-production-\d{8}T\d{6}Z\.md$/);
    const markdown = await readFile((await download.path())!, 'utf8');
    expect(markdown).toContain('- Release: v2.14.0, commit 4f2a9e1');
    expect(markdown).toContain('Database revision 20260115_0200 → 20260131_0000');
    for (const revision of ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'])
      expect(markdown).toMatch(new RegExp(`\\| ${revision} \\| .* \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\|`));
    expect(markdown).toMatch(/\| Before \| \d+ \| [1-9]\d* \| \d+\.\d\d % \|/);
    expect(markdown).toMatch(/\| After \| \d+ \| 0 \| 0\.00 % \|/);
  });

  it('the lead finishes the deploy with a note; the list shows it ended, and it opens read-only', async () => {
    await lead.getByTestId('transition-finish').click();
    expect(await lead.getByTestId('finish-confirm').isDisabled()).toBe(true);
    await lead.getByTestId('finish-text').fill('quiet first hour, closing early for v2.14.1');
    await lead.getByTestId('finish-confirm').click();
    await expect.poll(() => lead.getByTestId('deploy-phase').textContent()).toBe('done');
    expect(await lead.getByTestId('deploy-ending').textContent()).toContain(
      'closed early by lee@sandbox.flightdeck: quiet first hour',
    );

    const viewer = await signedInPage(browser, app, 'viewer');
    await viewer.goto(`${app.url}/deploys`);
    const row = viewer.getByTestId(`deploy-row-${deployId}`);
    await row.waitFor();
    expect(await row.getByTestId('deploy-release').textContent()).toContain('v2.14.0');
    expect(await row.getByTestId('deploy-row-phase').textContent()).toBe('done');
    expect(await row.getByTestId('deploy-row-ending').textContent()).toContain('closed early by lee');
    expect(await viewer.getByTestId('prepare-deploy').isDisabled()).toBe(true);
    await viewer.screenshot({ path: '/tmp/i18-deploy-list.png', fullPage: true });

    await ops.goto(`${app.url}/deploys`);
    await ops.getByRole('link', { name: deployId }).click();
    await ops.getByTestId('read-only-note').waitFor();
    expect(await ops.getByTestId('deploy-actions').count()).toBe(0);
    expect(await ops.locator('.sign-off').count()).toBe(0);
    expect(await stateOf(ops, 'snapshot')).toBe('pass');
    await viewer.context().close();
    // The one error the browser logged is the preparer's refused sign-off (403), shown on the page.
    expect(consoleErrors).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
  });
});
