/**
 * `pnpm --filter @flightdeck/test bench:locks`: what the lock poll costs (issue 20). On a real
 * PostgreSQL server with the story's schema and 25 other sessions (three holding locks in open
 * transactions): the poll query's duration at one a second, bare and as the BFF sends it (read-only
 * transaction with a statement timeout); then the BFF's CPU with the lock poll at one a second
 * against the same BFF with it idle. Prints figures and a one-line summary; asserts nothing.
 * BENCH_LOCKS_S sets each phase's length (default 20 s).
 */
import pg from 'pg';
import { DirectTargetDatabase, parseConfig, startFlightdeck } from '@flightdeck/bff';
import { lockPollParams, lockPollSql } from '@flightdeck/core';
import { storyStartSql } from '@flightdeck/sandbox';
import { postgresAvailability, startPostgresServer } from '../support/postgres-server.js';
import { percentile } from './stats.js';

const phaseMs = Number(process.env.BENCH_LOCKS_S ?? 20) * 1000;
const sleep = (msToWait: number) => new Promise((r) => setTimeout(r, msToWait));
const fmt = (v: number) => `${v.toFixed(2)} ms`;

const { available, reason } = postgresAvailability();
if (!available) {
  console.log(`SUMMARY: locks poll not measured: ${reason}`);
  process.exit(0);
}

const server = await startPostgresServer();
const sessions: pg.Client[] = [];
try {
  const setup = new pg.Client({ connectionString: server.url });
  await setup.connect();
  await setup.query(storyStartSql());
  await setup.end();
  for (let i = 0; i < 25; i++) {
    const client = new pg.Client({ connectionString: server.url, application_name: `app ${i}` });
    await client.connect();
    sessions.push(client);
    if (i < 3) {
      await client.query('BEGIN');
      await client.query(`SELECT id FROM ${['providers', 'licenses', 'users'][i]} LIMIT 1 FOR UPDATE`);
    }
  }

  // 1. The query itself, one a second, as a bare statement and through the BFF's TargetDatabase.
  const bare = new pg.Client({ connectionString: server.url, application_name: 'flightdeck' });
  await bare.connect();
  const database = new DirectTargetDatabase(server.url);
  const bareMs: number[] = [];
  const viaBffMs: number[] = [];
  let rows = 0;
  for (const end = Date.now() + phaseMs; Date.now() < end;) {
    const tick = Date.now();
    let t = performance.now();
    rows = (await bare.query(lockPollSql, lockPollParams())).rowCount ?? 0;
    bareMs.push(performance.now() - t);
    t = performance.now();
    await database.query(lockPollSql, lockPollParams(), { timeoutMs: 2_000 });
    viaBffMs.push(performance.now() - t);
    await sleep(Math.max(0, 1000 - (Date.now() - tick)));
  }
  await bare.end();
  await database.close();
  console.log(
    `poll query (${rows} sessions): bare p50 ${fmt(percentile(bareMs, 50))} p95 ${fmt(percentile(bareMs, 95))} max ${fmt(Math.max(...bareMs))}; ` +
      `as the BFF sends it (BEGIN READ ONLY, statement_timeout, COMMIT) p50 ${fmt(percentile(viaBffMs, 50))} p95 ${fmt(percentile(viaBffMs, 95))} (${bareMs.length} polls, one a second)`,
  );

  // 2. The BFF's CPU: the same BFF (sandbox mode, target = this server) polling locks every second, then idle.
  const cpuOf = async (lockIntervalMs: number) => {
    const running = await startFlightdeck(
      parseConfig({
        mode: 'sandbox',
        server: { host: '127.0.0.1', port: 0, logLevel: 'warn' },
        sandbox: { awsPort: 0, dbPort: 0 },
        store: { dataDir: 'memory://' },
        database: { url: server.url },
        locks: { idleIntervalMs: lockIntervalMs, readyIntervalMs: lockIntervalMs, migratingIntervalMs: 1000 },
      }),
      { logger: false },
    );
    try {
      await sleep(3_000);
      const before = process.cpuUsage();
      const started = performance.now();
      await sleep(phaseMs);
      const used = process.cpuUsage(before);
      return ((used.user + used.system) / 1000 / (performance.now() - started)) * 100;
    } finally {
      await running.close();
    }
  };
  const polling = await cpuOf(1000);
  const idle = await cpuOf(3_600_000);
  console.log(
    `BFF process CPU (sandbox upstreams in-process): ${polling.toFixed(2)} % with the lock poll every second, ${idle.toFixed(2)} % with it idle`,
  );
  console.log(
    `SUMMARY: lock poll query p50 ${fmt(percentile(bareMs, 50))} / p95 ${fmt(percentile(bareMs, 95))} on PostgreSQL with ${rows} sessions; ` +
      `BFF CPU ${polling.toFixed(2)} % polling every second vs ${idle.toFixed(2)} % idle (${(polling - idle).toFixed(2)} points for the poll)`,
  );
} finally {
  for (const client of sessions) await client.end().catch(() => undefined);
  await server.stop();
}
