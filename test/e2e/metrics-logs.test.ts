import { mkdirSync } from 'node:fs';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import type { MetricsWindowResponse } from '@flightdeck/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();
const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';

describe.skipIf(!available)('Metrics and Logs pages in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await buildTestApp({ logs: { tailBackfillMinutes: 2 } });
    browser = await launchChromium();
    page = await signedInPage(browser, app);
    mkdirSync('test-results', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows new log lines live, narrows them with a filter, highlights errors, pauses and jumps back', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Logs' }).click();
    await expect.poll(() => page.getByTestId('log-function').inputValue()).toBe(backend);
    const lines = page.getByTestId('log-line');
    await expect.poll(() => lines.count(), { timeout: 15_000 }).toBeGreaterThan(5);
    await expect.poll(() => page.getByTestId('tail-status').getAttribute('data-connection')).toBe('live');

    // Live: a line newer than any on screen arrives without a reload.
    const newest = async () => (await lines.last().locator('time').getAttribute('datetime')) ?? '';
    const firstNewest = await newest();
    await expect.poll(newest, { timeout: 20_000 }).not.toBe(firstNewest);

    // Pause keeps buffering; Jump to live shows what arrived meanwhile.
    await page.getByTestId('log-pause').click();
    const pausedNewest = await newest();
    await expect
      .poll(() => page.getByTestId('log-buffered').textContent(), { timeout: 20_000 })
      .toMatch(/paused: [1-9]\d* new line/);
    expect(await newest()).toBe(pausedNewest);
    await page.getByTestId('log-jump-live').click();
    await expect.poll(newest).not.toBe(pausedNewest);

    // A filter narrows the tail: every line shown matches, and the schema errors stand out.
    await page.getByTestId('log-filter').fill('"does not exist"');
    await page.getByTestId('log-filter-apply').click();
    await expect.poll(() => page.url()).toContain('filter=');
    // The URL changes at once, the list a render later (router updates are transitions): wait until
    // every line shown is a filtered one, not merely until some line is shown.
    await expect
      .poll(
        async () => {
          const texts = await lines.allTextContents();
          return texts.length > 0 && texts.every((t) => t.includes('does not exist'));
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await lines.first().getAttribute('data-severity')).toBe('error');
    expect(await lines.first().textContent()).toContain(
      'missing relation coordinator_notification_preferences',
    );
    await page.screenshot({ path: 'test-results/logs-filtered.png', fullPage: true });

    // A malformed pattern is refused with the server's message, not a silent empty tail.
    await page.getByTestId('log-filter').fill('{ $.level = ');
    await page.getByTestId('log-filter-apply').click();
    await expect.poll(() => page.getByTestId('tail-refusal').textContent()).toContain('{ $.level = ');
    expect(consoleErrors.filter((e) => !e.includes('400'))).toEqual([]);
  });

  it('draws charts per function with a deploy marker and its before/after comparison', async () => {
    await app.control('POST', 'migrations/apply');
    // The BFF learns of the migration on its next timeline poll; open the page once it has.
    await waitFor(async () => {
      const { body } = await app.get<MetricsWindowResponse>('/api/v1/metrics?window=15m');
      return body.markers.some((m) => m.kind === 'migration-applied') || undefined;
    }, 20_000);
    await page.goto(`${app.url}/metrics?window=15m`);
    const charts = page.getByTestId('metrics-chart');
    await expect.poll(() => page.getByTestId('metrics-function').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => charts.count()).toBe(6);
    await expect.poll(() => charts.first().locator('.recharts-line-curve').count()).toBeGreaterThan(0);
    const marker = page.getByTestId('deploy-marker').filter({ hasText: 'migration applied' });
    await expect.poll(() => marker.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => charts.first().locator('.recharts-reference-line').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/metrics-15m.png', fullPage: true });

    // A week back the releases are markers too, each with what changed around it.
    const weekAnswer = page.waitForResponse(
      (r) => r.url().includes('/api/v1/metrics?window=7d') && r.status() === 200,
      { timeout: 60_000 },
    );
    await page.getByTestId('window-7d').click();
    await expect.poll(() => page.url()).toContain('window=7d');
    // The release three days back has a full hour after it; the just-applied migration may not yet.
    await expect
      .poll(
        async () =>
          (await page.getByTestId('marker-comparison').allTextContents()).some((t) =>
            /errors \d+ → \d+.*in the \d+ minutes after/.test(t),
          ),
        // The sandbox computes a week of traffic for the first 7d answer: seconds of CPU on a busy machine.
        { timeout: 45_000 },
      )
      .toBe(true);
    // A week of 1-minute periods, drawn from a downsampled series with its true peaks kept.
    await expect
      .poll(async () => {
        const { body } = await app.get<MetricsWindowResponse>('/api/v1/metrics?window=7d');
        return body.metrics.data?.downsampledFrom;
      })
      .toBe(10_080);
    const drawn = (await (await weekAnswer).json()) as MetricsWindowResponse;
    if (drawn.metrics.data) expect(drawn.metrics.data.timestamps.length).toBeLessThanOrEqual(1_000);
    await expect.poll(() => charts.first().locator('.recharts-line-curve').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/metrics-7d.png', fullPage: true });
  }, 120_000);
});
