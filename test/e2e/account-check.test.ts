import { mkdirSync } from 'node:fs';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('which AWS account, in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    // The sandbox answers with account 123456789012; config expects another one.
    app = await buildTestApp({ aws: { expectedAccountId: '999999999999' } });
    browser = await launchChromium();
    mkdirSync('test-results', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the account, region and role in the header, and a red banner naming the account found', async () => {
    const page = await signedInPage(browser, app, 'viewer');
    await page.goto(app.url);
    await expect
      .poll(() => page.getByTestId('account').textContent())
      .toBe('123456789012 · us-east-1 · flightdeck-sandbox');
    const banner = page.getByTestId('wrong-account-banner');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/found 123456789012, expected 999999999999/);
    await page.screenshot({ path: 'test-results/wrong-account.png' });
  });
});
