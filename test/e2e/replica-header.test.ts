// The header says which replica answered and which one leads: two BFFs on one PostgreSQL store
// (sharing one sandbox), each page opened in Chromium.
import { mkdirSync } from 'node:fs';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const browser$ = browserAvailability();
const postgres$ = postgresAvailability();

describe.skipIf(!browser$.available || !postgres$.available)('which replica answered, in Chromium', () => {
  let postgres: PostgresServer;
  let leader: TestApp;
  let follower: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    leader = await buildTestApp({ store: { url: postgres.url, replicaId: 'bff-1' } });
    // The first replica takes the lock at start-up, before the second one exists.
    if (!leader.leadership.leading) throw new Error('the first replica should lead');
    follower = await buildTestApp(
      { store: { url: postgres.url, replicaId: 'bff-2' } },
      { sandbox: leader.sandbox! },
    );
    browser = await launchChromium();
    mkdirSync('test-results', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await follower?.close();
    await leader?.close();
    await postgres?.stop();
  });

  it('shows this replica and the leader in the header', async () => {
    const onLeader = await signedInPage(browser, leader, 'viewer');
    await onLeader.goto(leader.url);
    await expect.poll(() => onLeader.getByTestId('replica').textContent()).toBe('replica bff-1 · leads');

    const onFollower = await signedInPage(browser, follower, 'viewer');
    await onFollower.goto(follower.url);
    await expect
      .poll(() => onFollower.getByTestId('replica').textContent())
      .toBe('replica bff-2 · leader bff-1');
    await onFollower.screenshot({ path: 'test-results/replica-header.png' });
  });
});
