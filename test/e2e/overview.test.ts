import { mkdirSync } from 'node:fs';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { firstPageBudgetBytes } from '../support/first-page.js';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('Overview in Chromium', () => {
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

  it('shows the story, then says up to date after the migrations are applied, without a reload', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(app.url);

    const alembic = page.getByTestId('card-alembic');
    await expect.poll(() => alembic.getByTestId('alembic-current').textContent()).toBe('20260115_0200');
    expect(await alembic.getByTestId('alembic-head').textContent()).toBe('20260131_0000');
    expect(await alembic.getByTestId('alembic-state').textContent()).toBe('4 pending migrations');
    expect(await page.getByTestId('snapshot-id').textContent()).toBe(
      'prod-credmate-pre-migration-20260203-062934',
    );
    expect(await page.getByTestId('snapshot-status').textContent()).toBe('available');
    await expect.poll(() => page.getByTestId('function-panel').count()).toBe(2);
    const backend = page.locator('[data-function="credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx"]');
    expect(Number((await backend.getByTestId('fn-errors').textContent())?.replace(/,/g, ''))).toBeGreaterThan(
      0,
    );
    await expect.poll(() => page.getByTestId('log-errors').textContent()).toContain('does not exist');
    await expect.poll(() => page.getByTestId('live-status').textContent()).toContain('live');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/overview-before.png', fullPage: true });

    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
    await app.control('POST', 'migrations/apply');
    await expect
      .poll(() => alembic.getByTestId('alembic-state').textContent(), { timeout: 15_000 })
      .toBe('Up to date');
    expect(await alembic.getByTestId('alembic-current').textContent()).toBe('20260131_0000');
    // Same document: the change arrived over the live stream, not by a reload.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    await page.screenshot({ path: 'test-results/overview-after.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('shows the whole Overview, live, with at most 150 KB of gzipped JavaScript: the charts come later', async () => {
    const fresh = await signedInPage(browser, app);
    const scripts = new Map<string, number>();
    fresh.on('response', async (response) => {
      if (!response.url().endsWith('.js')) return;
      scripts.set(response.url(), gzipSync(await response.body(), { level: 9 }).length);
    });
    // The charts' chunks are held back: the first page must show its figures without them.
    const heldCharts: Route[] = [];
    await fresh.route(
      /(CartesianChart|function-sparkline)[^/]*\.js$/,
      (route) => void heldCharts.push(route),
    );
    try {
      await fresh.goto(app.url);
      await expect.poll(() => fresh.getByTestId('alembic-state').textContent()).toMatch(/pending|Up to date/);
      await expect.poll(() => fresh.getByTestId('function-panel').count()).toBe(2);
      await expect.poll(() => fresh.getByTestId('log-errors').textContent()).toContain('does not exist');
      await expect.poll(() => fresh.getByTestId('live-status').textContent()).toContain('live');
      const total = [...scripts.values()].reduce((a, b) => a + b, 0);
      expect(scripts.size).toBeGreaterThan(0);
      expect(total, [...scripts].map(([u, b]) => `${u} ${b}`).join('\n')).toBeLessThanOrEqual(
        firstPageBudgetBytes,
      );
      for (const route of heldCharts.splice(0)) await route.continue();
      await fresh.unroute(/(CartesianChart|function-sparkline)[^/]*\.js$/);
      await expect.poll(() => fresh.locator('.function .recharts-surface').count()).toBeGreaterThan(0);
      // Still live after a full page of data arrived over the change-only stream.
      const before = await fresh.getByTestId('alembic-state').textContent();
      await app.control('POST', before === 'Up to date' ? 'reset' : 'migrations/apply');
      await expect
        .poll(() => fresh.getByTestId('alembic-state').textContent(), { timeout: 15_000 })
        .not.toBe(before);
    } finally {
      await fresh.close();
    }
  });

  it('keeps a failing panel’s last data and says why, leaving the others alone', async () => {
    await app.control('POST', 'faults', {
      service: 'RDS',
      operation: 'DescribeDBSnapshots',
      kind: 'error5xx',
    });
    try {
      const card = page.getByTestId('card-snapshot');
      await expect.poll(() => card.getAttribute('data-freshness'), { timeout: 15_000 }).toBe('failing');
      expect(await card.getByTestId('card-snapshot-error').textContent()).toMatch(/\S/);
      expect(await card.getByTestId('snapshot-id').textContent()).toBe(
        'prod-credmate-pre-migration-20260203-062934',
      );
      expect(await card.getByTestId('card-snapshot-freshness').textContent()).toMatch(
        /showing data from \d+ s ago/,
      );
      expect(await page.getByTestId('card-alembic').getAttribute('data-freshness')).toBe('fresh');
    } finally {
      await app.control('DELETE', 'faults');
    }
  });
});
