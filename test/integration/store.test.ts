// Issue 9, the store: changes answered before a restart are answered again after it; a store
// newer than the code, unreachable, or already in use stops start-up with a clear message; a
// store lost under a running BFF costs changes (503), never reads, and comes back on its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '@flightdeck/bff';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const noPostgres = !postgresAvailability().available;

async function change(
  app: TestApp,
  key: string,
  path = '/api/v1/sandbox/clock/advance',
  body: unknown = { seconds: 60 },
) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { ...(await app.signIn('ops')), 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    replay: response.headers.get('idempotent-replay'),
    body: await response.text(),
  };
}

function replayAcrossRestart(name: string, storeConfig: () => Record<string, unknown>, skip = false) {
  describe.skipIf(skip)(`idempotency keys survive a restart (${name})`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
    }, 60_000);
    afterAll(async () => sandbox?.close());

    it('answers the same change again after a restart, with the same body and idempotent-replay', async () => {
      const key = `restart-${Date.now()}`;
      const first = await buildTestApp({ store: storeConfig() }, { sandbox });
      const before = await change(first, key);
      await first.close();
      expect(before.status).toBe(200);
      expect(before.replay).toBeNull();

      const second = await buildTestApp({ store: storeConfig() }, { sandbox });
      try {
        const after = await change(second, key);
        expect(after).toEqual({ status: 200, replay: 'true', body: before.body });
        // The same key for another change is refused, not replayed.
        expect((await change(second, key, '/api/v1/sandbox/clock/advance', { seconds: 120 })).status).toBe(
          422,
        );
      } finally {
        await second.close();
      }
    }, 90_000);
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'flightdeck-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
replayAcrossRestart('embedded PGlite in a folder', () => ({ dataDir: join(dataDir, 'replay') }));

let server: PostgresServer | undefined;
describe.skipIf(noPostgres)('on a real PostgreSQL server', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => server?.stop());

  replayAcrossRestart('real PostgreSQL', () => ({ url: server!.url }));

  it('two replicas starting at once against an empty database migrate the schema once', async () => {
    const url = server!.url.replace(/\/postgres$/, '/postgres?application_name=replica');
    const admin = await openStore({ url: server!.url, dataDir: 'memory://' });
    await sql`create database twins`.execute(admin.db);
    await admin.close();
    const twins = url.replace('/postgres?', '/twins?');
    const [a, b] = await Promise.all([1, 2].map(() => openStore({ url: twins, dataDir: 'memory://' })));
    const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(a!.db);
    expect(names.rows.map((r) => r.name)).toEqual([
      '0001_foundation',
      '0002_deploys',
      '0003_rollbacks',
      '0004_replicas',
      '0005_deploy_lifecycle',
      '0006_notifications',
      '0007_api_tokens',
      '0008_deploy_told_verdict',
      '0009_evidence_age',
      '0010_deploy_record',
      '0011_audit_words',
      '0012_deploy_locks',
    ]);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('the store stopped under a running BFF: reads answer from the last state, changes 503, then all resumes', async () => {
    const app = await buildTestApp({ store: { url: server!.url } });
    try {
      expect((await change(app, `lost-a-${Date.now()}`)).status).toBe(200);
      await server!.halt();
      const overview = await app.get<{ sources: Record<string, unknown> }>('/api/v1/overview');
      expect(overview.status).toBe(200);
      const refused = await change(app, `lost-b-${Date.now()}`);
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body).error).toMatchObject({ code: 'StoreUnavailable' });
      const ready = await app.get<{ error: { code: string }; store: { ok: boolean } }>('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { code: 'StoreUnavailable' }, store: { ok: false } });
      await server!.resume();
      expect((await change(app, `lost-c-${Date.now()}`)).status).toBe(200);
      expect((await app.get('/readyz')).status).toBe(200);
    } finally {
      await app.close();
    }
  }, 90_000);
});

describe('the audit log, in the store', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of its rows, whoever asks', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    try {
      await sql`insert into audit_log (id, at, actor, action, result, correlation_id)
        values ('a1', now(), 'omar', 'POST /api/v1/rollbacks', '202', 'req-1')`.execute(store.db);
      for (const statement of [
        sql`update audit_log set result = '500'`,
        sql`delete from audit_log`,
        sql`truncate audit_log`,
      ])
        await expect(statement.execute(store.db)).rejects.toThrow(/the audit log is append-only/);
      const rows = await sql<{ result: string }>`select result from audit_log`.execute(store.db);
      expect(rows.rows).toEqual([{ result: '202' }]);
    } finally {
      await store.close();
    }
  });
});

describe('start-up refusals', () => {
  it('a store whose schema is newer than the code is refused, saying so', async () => {
    const folder = join(dataDir, 'newer');
    const store = await openStore({ dataDir: folder });
    await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', now()::text)`.execute(
      store.db,
    );
    await store.close();
    const refused = openStore({ dataDir: folder });
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    await expect(openStore({ dataDir: folder })).rejects.toThrow(
      /newer than this Flightdeck: it has 0099_from_the_future/,
    );
  }, 60_000);

  it('an embedded store in use by another process is refused, naming it and how to run replicas', async () => {
    const folder = join(dataDir, 'taken');
    writeFileSync(`${folder}.lock`, String(process.ppid));
    await expect(openStore({ dataDir: folder })).rejects.toThrow(
      new RegExp(`in use by another Flightdeck \\(pid ${process.ppid}\\).*store\\.url`),
    );
    rmSync(`${folder}.lock`);
  });

  it('an unreachable store stops `pnpm start` with a message and exit code 3, no stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/bff/src/main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, FLIGHTDECK_STORE_URL: 'postgres://flightdeck:secret@127.0.0.1:1/flightdeck' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
    expect(output).toMatch(
      /Flightdeck cannot start: Flightdeck's store at postgres:\/\/flightdeck:\*\*\*@127\.0\.0\.1:1\/flightdeck is unreachable/,
    );
    expect(output).not.toContain('secret');
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);
});
