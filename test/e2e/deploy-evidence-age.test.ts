// The Deploy page says how old the data behind each item is and which source is failing: with the
// sandbox's GetMetricData failing past the freshness window, the error-rate and p99 items read
// "data from … ago — metrics source failing: …" and stale, then pass again when the data comes back.
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import type { Deploy, DeployDetail, Overview } from '@flightdeck/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('the age of the evidence on the Deploy page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let deployId: string;

  const detail = () => app.get<DeployDetail>(`/api/v1/deploys/${deployId}`).then((r) => r.body);
  const item = (d: DeployDetail, id: string) => d.checklist.find((i) => i.id === id)!;
  const until = (check: (d: DeployDetail) => boolean) =>
    waitFor(async () => {
      const d = await detail();
      return check(d) ? d : undefined;
    }, 30_000);
  const change = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
      },
      body: JSON.stringify(body),
    });
    return (await response.json()) as unknown;
  };
  const row = (id: string) => page.getByTestId(`item-${id}`);
  const stateOf = async (id: string) => (await row(id).getByTestId('item-state').textContent())?.slice(2);

  beforeAll(async () => {
    app = await buildTestApp({
      deploys: { evaluateMs: 500, freshnessSeconds: 30, p99TolerancePercent: 500 },
    });
    await waitFor(async () => {
      const { sources } = (await app.get<Overview>('/api/v1/overview')).body;
      return sources.lambda.data && sources.alembic.data ? true : undefined;
    }, 30_000);
    deployId = ((await change('/api/v1/deploys', { release: { name: 'v2.14.0' } })) as Deploy).id;
    await app.control('POST', 'clock/advance', { seconds: 61 });
    await until((d) => d.deploy.phase === 'ready');
    await change(`/api/v1/deploys/${deployId}/migration`, { state: 'started' });
    await app.control('POST', 'migrations/apply');
    await until((d) => d.deploy.phase === 'verifying');
    await app.control('POST', 'clock/advance', { seconds: 11 * 60 });
    await until((d) => item(d, 'error-rate').state === 'pass' && item(d, 'response-times').state === 'pass');
    browser = await launchChromium();
    page = await signedInPage(browser, app, 'viewer');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the data’s age, then the failing metrics source on the stale items, then green again', async () => {
    await page.goto(`${app.url}/deploys/${deployId}`);
    await expect.poll(() => stateOf('error-rate')).toBe('pass');
    expect(await row('error-rate').getByTestId('item-age').textContent()).toMatch(
      /^\(data from \d+ s ago\)$/,
    );
    // Each function against its own baseline.
    const p99 = await row('response-times').getByTestId('item-evidence').textContent();
    expect(p99).toMatch(/Backend API: p99 [\d.]+ ms against [\d.]+ ms/);
    expect(p99).toMatch(/Worker: p99 [\d.]+ ms against [\d.]+ ms/);

    await app.control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'error5xx',
    });
    await app.control('POST', 'clock/advance', { seconds: 70 });
    for (const id of ['error-rate', 'response-times']) {
      await expect.poll(() => stateOf(id), { timeout: 30_000, message: id }).toBe('stale');
      expect(await row(id).getByTestId('item-age').textContent()).toMatch(
        /^\(data from \d+ (s|min) ago — metrics source failing: \S+: .+, stale\)$/,
      );
    }
    expect(await page.getByTestId('verdict-reasons').textContent()).toContain('metrics source failing');
    await row('response-times').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/evidence-age-stale.png', fullPage: true });

    await app.control('DELETE', 'faults');
    for (const id of ['error-rate', 'response-times'])
      await expect.poll(() => stateOf(id), { timeout: 30_000, message: id }).toBe('pass');
    expect(await row('error-rate').getByTestId('item-source-error').count()).toBe(0);
  }, 90_000);
});
