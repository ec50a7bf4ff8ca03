// The Tokens page in Chromium (issue 19, evidence 5): ops issue a token, see its secret once with
// a copy button, find it in the list, use it, and revoke it after confirming; a lead has no page.
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('the Tokens page in Chromium', () => {
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

  const withToken = (token: string) =>
    fetch(`${app.url}/api/v1/deploys`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.status,
    );

  it('issues a token, shows its secret once, lists it, and revokes it after a confirmation', async () => {
    const page = await signedInPage(browser, app, 'ops');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Tokens' }).click();

    // The role choices stop at the issuer's (ops: all three).
    expect(await page.getByTestId('token-role').locator('option').allTextContents()).toEqual([
      'viewer',
      'lead',
      'ops',
    ]);
    await page.getByTestId('token-name').fill('release-pipeline');
    await page.getByTestId('token-role').selectOption('ops');
    await page.getByTestId('token-days').fill('30');
    await page.getByTestId('issue-token').click();

    const secretBox = page.getByTestId('token-secret');
    await expect.poll(() => secretBox.textContent()).toMatch(/^fd_[A-Za-z0-9_-]{43}$/);
    const secret = (await secretBox.textContent())!;
    expect(await page.getByTestId('shown-once').textContent()).toContain('you will not see it again');
    await page.getByTestId('copy-token').click();
    await expect.poll(() => page.getByTestId('copy-token').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const row = page.locator('[data-testid="token"][data-name="release-pipeline"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('active');
    expect(await row.textContent()).toContain('omar@sandbox.flightdeck');
    await page.screenshot({ path: '/tmp/tokens-page.png', fullPage: true });

    // The secret works, and after a reload it is nowhere on the page.
    expect(await withToken(secret)).toBe(200);
    await page.reload();
    await expect.poll(() => row.count()).toBe(1);
    expect(await page.getByTestId('issued-token').count()).toBe(0);
    expect(await page.content()).not.toContain(secret.slice(3));
    await expect
      .poll(async () => (await row.textContent()) ?? '', { timeout: 15_000 })
      .toContain('127.0.0.1');

    await row.getByTestId('revoke-token').click();
    expect(await row.getByTestId('revoke-confirmation').textContent()).toContain('stop at once');
    await row.getByTestId('confirm-revoke').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('revoked');
    expect(await row.getByTestId('token-state').textContent()).toContain('by omar@sandbox.flightdeck');
    expect(await withToken(secret)).toBe(401);
    await page.screenshot({ path: '/tmp/tokens-page-revoked.png', fullPage: true });
  });

  it('tells a lead tokens are for ops, and shows them no link to the page', async () => {
    const lead = await signedInPage(browser, app, 'lead');
    await lead.goto(`${app.url}/tokens`);
    await expect.poll(() => lead.getByTestId('tokens-forbidden').textContent()).toContain('by ops');
    expect(await lead.getByRole('link', { name: 'Tokens' }).count()).toBe(0);
  });
});
