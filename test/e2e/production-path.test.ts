import { mkdirSync } from 'node:fs';
import { parseConfig, startFlightdeck, type RunningFlightdeck } from '@flightdeck/bff';
import { startSandbox, storyNames, type Sandbox } from '@flightdeck/sandbox';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';
import { browserAvailability, launchChromium } from './browser.js';

const browser = browserAvailability();
const postgres = postgresAvailability();

/** What oauth2-proxy adds to every request it forwards; the browser connects from 127.0.0.1, the trusted proxy. */
const proxyHeaders = {
  'x-forwarded-user': 'olu',
  'x-forwarded-email': 'olu@example.com',
  'x-forwarded-groups': 'sre',
};

/**
 * Flightdeck as a company runs it: aws mode (no sandbox in-process, no story defaults), proxy
 * sign-in, the real SDK clients with credentials from the environment, an endpoint that happens to
 * be a standalone sandbox, and a database of its own — a real PostgreSQL server, or the SQL Lambda.
 */
function productionConfig(sandbox: Sandbox, database: Record<string, unknown>) {
  return parseConfig({
    mode: 'aws',
    server: { port: 0, logLevel: 'warn' },
    aws: { region: sandbox.region, endpoint: sandbox.awsEndpoint, expectedAccountId: '123456789012' },
    database,
    alembic: { versionsDir: sandbox.versionsDir },
    rds: { dbInstanceIdentifier: storyNames.dbInstance },
    functions: [
      { name: storyNames.backendFunction, label: 'Backend API', alias: storyNames.alias },
      { name: storyNames.workerFunction, label: 'Worker', alias: storyNames.alias },
    ],
    // Flightdeck's own store in memory here (the store's own tests cover folders and servers).
    store: { dataDir: 'memory://' },
    auth: {
      mode: 'proxy',
      proxy: { trustedAddresses: ['127.0.0.1', '::1'] },
      roles: [{ role: 'ops', groups: ['sre'] }],
    },
    intervals: {
      alembicMs: 500,
      rdsMs: 1000,
      metricsMs: 1000,
      logsMs: 1000,
      lambdaMs: 1000,
      migrationsMs: 1000,
    },
  });
}

describe.skipIf(!browser.available || !postgres.available)('the production path, in Chromium', () => {
  let sandbox: Sandbox;
  let server: PostgresServer;
  let chromium: Browser;

  beforeAll(async () => {
    // The default credential chain reads these, as it would a role's.
    process.env.AWS_ACCESS_KEY_ID = 'AKIAPRODUCTIONPATH01';
    process.env.AWS_SECRET_ACCESS_KEY = 'production-path-test-secret';
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
    server = await startPostgresServer();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)');
    await client.query(`INSERT INTO alembic_version VALUES ('${storyNames.currentRevision}')`);
    await client.end();
    chromium = await launchChromium();
    mkdirSync('test-results', { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    await sandbox?.close();
  });

  const runs: Array<[string, (s: Sandbox) => Record<string, unknown>, string]> = [
    ['a real PostgreSQL server', () => ({ url: server.url }), 'read directly'],
    [
      'the SQL Lambda',
      () => ({ via: 'lambda', sqlFunction: storyNames.sqlFunction }),
      'read through the SQL Lambda function',
    ],
  ];

  it.each(runs)(
    'every page works with the database read through %s',
    async (name, database, readVia) => {
      const flightdeck: RunningFlightdeck = await startFlightdeck(
        productionConfig(sandbox, database(sandbox)),
        {
          logger: false,
        },
      );
      try {
        expect(flightdeck.sandbox).toBeNull();
        // No sandbox-only route exists in aws mode.
        const routes = flightdeck.app.routeList.map((r) => r.url);
        expect(routes.filter((url) => url.includes('sandbox') || url.includes('demo-user'))).toEqual([]);

        const context = await chromium.newContext({
          viewport: { width: 1400, height: 1000 },
          extraHTTPHeaders: proxyHeaders,
        });
        const page = await context.newPage();
        const failed: string[] = [];
        page.on('response', (r) => {
          if (r.url().includes('/api/') && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
        });

        await page.goto(flightdeck.url);
        await expect.poll(() => page.getByTestId('user-role').textContent()).toBe('ops');
        await expect
          .poll(() => page.getByTestId('account').textContent())
          .toBe('123456789012 · us-east-1 · flightdeck-sandbox');
        expect(await page.getByTestId('wrong-account-banner').count()).toBe(0);
        expect(await page.getByTestId('scenario-panel').count()).toBe(0);
        const alembic = page.getByTestId('card-alembic');
        await expect
          .poll(() => alembic.getByTestId('alembic-state').textContent())
          .toBe('4 pending migrations');
        expect(await alembic.textContent()).toContain(readVia);
        await page.screenshot({ path: `test-results/production-path-${name.replaceAll(' ', '-')}.png` });

        await page.goto(`${flightdeck.url}/metrics?window=15m`);
        await expect.poll(() => page.getByTestId('metrics-function').count(), { timeout: 15_000 }).toBe(2);

        await page.goto(`${flightdeck.url}/logs`);
        await expect.poll(() => page.getByTestId('log-line').count(), { timeout: 15_000 }).toBeGreaterThan(0);

        await page.goto(`${flightdeck.url}/migrations`);
        await expect
          .poll(() => page.getByTestId('card-position').getByTestId('position-state').textContent())
          .toBe('4 pending migrations');

        expect(failed).toEqual([]);
        await context.close();
      } finally {
        await flightdeck.close();
      }
    },
    90_000,
  );
});
