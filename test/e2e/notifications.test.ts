// The Notifications page in Chromium: ops start a rollback from the API, the webhook receiver
// refuses twice and then takes it, and the page shows each delivery with its attempts; resend.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();

describe.skipIf(!available)('the Notifications page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  let calls = 0;

  beforeAll(async () => {
    // Answers 503 twice, then 200.
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(calls++ < 2 ? 503 : 200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    app = await buildTestApp({
      notifications: {
        webhooks: [
          { name: 'release-channel', url: `http://127.0.0.1:${port}/hooks/secret-path`, format: 'slack' },
        ],
        retryBaseSeconds: 0.05,
        pollMs: 50,
      },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('shows the deliveries of a rollback with their attempts, and resends one', async () => {
    const ops = await app.signIn('ops');
    const backend = app.config.functions[0]!.name;
    const started = await fetch(`${app.url}/api/v1/rollbacks`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        deployId: 'story-2026-02-03',
        kind: 'lambda',
        target: backend,
        confirmation: backend,
      }),
    });
    expect(started.status).toBe(202);
    // The job finishes once verified: a whole minute of traffic after the alias moved.
    const { id } = (await started.json()) as { id: string };
    await expect
      .poll(async () => (await app.get<{ state: string }>(`/api/v1/rollbacks/${id}`)).body.state)
      .toBe('verifying');
    await app.control('POST', 'clock/advance', { seconds: 180 });
    await app.app.sources.refreshAll();

    page = await signedInPage(browser, app, 'ops');
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Notifications' }).click();
    const rows = page.getByTestId('delivery');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const started_ = page.locator('[data-testid="delivery"]', { hasText: 'rollback.started' });
    await expect.poll(() => started_.getAttribute('data-state')).toBe('sent');
    expect(await started_.getByTestId('delivery-attempts').textContent()).toMatch(
      /^503 in \d+ ms — The receiver answered 503\.503 in/,
    );
    // The webhook's secret path never shows.
    expect(await page.getByTestId('notifications').textContent()).not.toContain('secret-path');
    await page.screenshot({ path: '/tmp/notifications-page.png', fullPage: true });

    const before = await rows.count();
    await started_.getByTestId('resend-delivery').click();
    await expect.poll(() => rows.count()).toBe(before + 1);
  });

  it('tells a lead the page is for ops, and shows them no link to it', async () => {
    const lead = await signedInPage(browser, app, 'lead');
    await lead.goto(`${app.url}/notifications`);
    await expect.poll(() => lead.getByTestId('notifications-forbidden').textContent()).toContain('for ops');
    expect(await lead.getByRole('link', { name: 'Notifications' }).count()).toBe(0);
  });
});
