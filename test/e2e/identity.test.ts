import { mkdirSync } from 'node:fs';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('who is asking, in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await buildTestApp();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    mkdirSync('test-results', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks a newcomer who they are instead of showing a blank page', async () => {
    await page.goto(app.url);
    const gate = page.getByTestId('sign-in-gate');
    await expect.poll(() => gate.isVisible()).toBe(true);
    expect(await gate.textContent()).toContain('choose who you are');
    await gate.getByRole('button', { name: /Vera/ }).click();
    await expect.poll(() => page.getByTestId('user-role').textContent()).toBe('viewer');
  });

  it('shows a viewer the scenario controls disabled, with the reason', async () => {
    expect(await page.getByTestId('user-name').textContent()).toBe('Vera (on-call)');
    const panel = page.getByTestId('scenario-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.getByTestId('scenario-disabled-reason').textContent()).toBe(
      'Only ops can change the scenario; you are viewer.',
    );
    expect(await panel.getByTestId('apply-migrations').isDisabled()).toBe(true);
    expect(await panel.getByTestId('inject-fault').isDisabled()).toBe(true);
    await page.screenshot({ path: 'test-results/identity-viewer.png' });
  });

  it('lets ops apply the migrations from the panel, and the Alembic card turns up to date', async () => {
    await page.getByTestId('demo-user-picker').selectOption('omar');
    await expect.poll(() => page.getByTestId('user-role').textContent()).toBe('ops');
    const alembic = page.getByTestId('card-alembic');
    await expect.poll(() => alembic.getByTestId('alembic-state').textContent()).toBe('4 pending migrations');
    const apply = page.getByTestId('apply-migrations');
    await expect.poll(() => apply.isEnabled()).toBe(true);
    await apply.click();
    await expect
      .poll(() => alembic.getByTestId('alembic-state').textContent(), { timeout: 15_000 })
      .toBe('Up to date');
    expect(await alembic.getByTestId('alembic-current').textContent()).toBe('20260131_0000');
    await page.screenshot({ path: 'test-results/identity-ops-applied.png', fullPage: true });
  });
});
