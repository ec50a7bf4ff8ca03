// Issue 19, evidence 1: an API token on two BFF replicas sharing a real PostgreSQL store and one
// sandbox. Issued by ops on one, it prepares and reads with no cookie or CSRF token; a viewer's is
// refused; revoked on replica A it is refused by replica B on its very next request; an expired one
// says so; the audit names the token; and the secret is in no table, no log line, no later answer.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ApiToken, Deploy, IssuedToken, TokenList } from '@flightdeck/contracts';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

type Answer<T = Record<string, unknown>> = {
  status: number;
  body: T & { error?: { code: string; message: string } };
  text: string;
};

describe.skipIf(!postgresAvailability().available)(
  'API tokens on two replicas sharing a PostgreSQL store',
  () => {
    let server: PostgresServer;
    let sandbox: Sandbox;
    const replicas: TestApp[] = [];
    const logs: string[][] = [[], [], []];
    /** Every answer's text after the secret was issued: none may hold it. */
    const laterAnswers: string[] = [];
    let a: TestApp;
    let b: TestApp;
    let ops: Record<string, string>;
    let pipeline: IssuedToken;

    const logInto = (lines: string[]) =>
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });

    async function call<T = Record<string, unknown>>(
      app: TestApp,
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ): Promise<Answer<T>> {
      const response = await fetch(`${app.url}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      laterAnswers.push(text);
      return { status: response.status, body: JSON.parse(text) as Answer<T>['body'], text };
    }
    const change = (key = randomUUID()) => ({ 'idempotency-key': key });
    const bearer = (token: IssuedToken) => ({ authorization: `Bearer ${token.token}` });
    const issue = async (name: string, role: string) => {
      const answer = await call<IssuedToken>(
        a,
        'POST',
        '/api/v1/tokens',
        { ...ops, ...change() },
        { name, role },
      );
      expect(answer.status).toBe(201);
      return answer.body;
    };

    beforeAll(async () => {
      [server, sandbox] = await Promise.all([
        startPostgresServer(),
        startSandbox({ awsPort: 0, dbPort: 0, quiet: true }),
      ]);
      for (let i = 0; i < 2; i++)
        replicas.push(
          await buildTestApp(
            {
              server: { port: 0, logLevel: 'info' },
              store: { url: server.url },
              auth: { mutationsPerMinute: 1_000 },
            },
            { sandbox, logStream: logInto(logs[i]!) },
          ),
        );
      [a, b] = [replicas[0]!, replicas[1]!];
      ops = await a.signIn('ops');
      pipeline = await issue('release-pipeline', 'ops');
    }, 120_000);
    afterAll(async () => {
      for (const app of replicas) await app.close();
      await sandbox?.close();
      await server?.stop();
    });

    it('prepares on one replica and reads on the other with no cookie and no CSRF token; changes still need an Idempotency-Key', async () => {
      const noKey = await call(a, 'POST', '/api/v1/deploys', bearer(pipeline), {
        release: { name: 'v2.14.0' },
      });
      expect(noKey).toMatchObject({ status: 400, body: { error: { code: 'IdempotencyKeyRequired' } } });

      const prepared = await call<Deploy>(
        a,
        'POST',
        '/api/v1/deploys',
        { ...bearer(pipeline), ...change() },
        {
          release: { name: 'v2.14.0', commit: '4f2a9e1' },
        },
      );
      expect(prepared.status).toBe(201);
      const read = await call<{ deploy: Deploy }>(
        b,
        'GET',
        `/api/v1/deploys/${prepared.body.id}`,
        bearer(pipeline),
      );
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ deploy: { id: prepared.body.id } });

      const viewer = await issue('dashboards', 'viewer');
      expect((await call(b, 'GET', '/api/v1/deploys', bearer(viewer))).status).toBe(200);
      const refused = await call(
        b,
        'POST',
        '/api/v1/deploys',
        { ...bearer(viewer), ...change() },
        {
          release: { name: 'v2.14.0' },
        },
      );
      expect(refused.status).toBe(403);

      // The audit names the token and its issuer, on whichever replica it acted.
      const audit = await a.store.db
        .selectFrom('audit_log')
        .select(['actor', 'role', 'action', 'result'])
        .where('actor', 'like', 'token %')
        .execute();
      expect(audit).toContainEqual({
        actor: 'token release-pipeline (issued by omar@sandbox.flightdeck)',
        role: 'ops',
        action: 'POST /api/v1/deploys',
        result: `201 id ${prepared.body.id}`,
      });
      expect(audit).toContainEqual(
        expect.objectContaining({
          actor: 'token dashboards (issued by omar@sandbox.flightdeck)',
          role: 'viewer',
          action: 'POST /api/v1/deploys',
          result: '403 Forbidden',
        }),
      );
    }, 60_000);

    it('revoked on replica A, it is refused by replica B on its next request (no cache outlives a revocation)', async () => {
      const token = await issue('short-lived', 'ops');
      expect((await call(b, 'GET', '/api/v1/deploys', bearer(token))).status).toBe(200);
      const revoked = await call<ApiToken>(a, 'DELETE', `/api/v1/tokens/${token.id}`, {
        ...ops,
        ...change(),
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.state).toBe('revoked');
      const next = await call(b, 'GET', '/api/v1/deploys', bearer(token));
      expect(next).toMatchObject({ status: 401, body: { error: { code: 'TokenRevoked' } } });
      expect(next.body.error!.message).toContain('revoked');
      const nextChange = await call(b, 'POST', '/api/v1/deploys', { ...bearer(token), ...change() }, {});
      expect(nextChange.status).toBe(401);

      const audit = await a.store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'result'])
        .where('action', '=', 'DELETE /api/v1/tokens/:id')
        .execute();
      expect(audit).toContainEqual({
        actor: 'omar@sandbox.flightdeck',
        action: 'DELETE /api/v1/tokens/:id',
        result: `200 id ${token.id}`,
      });
      // The refusal is logged by the token's id, not its secret.
      expect(
        logs[1]!.some((line) => line.includes('API token refused: revoked') && line.includes(token.id)),
      ).toBe(true);
    });

    it('an expired token is 401 saying it expired', async () => {
      const token = await issue('expiring', 'viewer');
      await sql`update api_tokens set expires_at = now() - interval '1 minute' where id = ${token.id}`.execute(
        a.store.db,
      );
      const refused = await call(b, 'GET', '/api/v1/deploys', bearer(token));
      expect(refused).toMatchObject({ status: 401, body: { error: { code: 'TokenExpired' } } });
      expect(refused.body.error!.message).toMatch(/expired at/);
      const listed = await call<TokenList>(a, 'GET', '/api/v1/tokens', ops);
      expect(listed.body.tokens.find((t) => t.id === token.id)?.state).toBe('expired');
    });

    it('the secret is in no table, no log line and no answer after the one that issued it', async () => {
      // Its last use is kept (where from, when), at most one write every few seconds.
      // Each replica signs its own cookies: ops sign in on B to read B's list.
      const listed = await call<TokenList>(b, 'GET', '/api/v1/tokens', await b.signIn('ops'));
      const row = listed.body.tokens.find((t) => t.id === pipeline.id)!;
      expect(row).toMatchObject({
        name: 'release-pipeline',
        state: 'active',
        issuer: 'omar@sandbox.flightdeck',
      });
      expect(row.lastUsedAt).not.toBeNull();
      expect(row.lastUsedFrom).toMatch(/127\.0\.0\.1/);
      await call(a, 'GET', '/api/v1/audit', ops);

      const secret = pipeline.token;
      const secretBody = secret.slice(3);
      const tables = await sql<{ name: string }>`
        select table_schema || '.' || table_name as name from information_schema.tables
        where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`.execute(
        a.store.db,
      );
      expect(tables.rows.map((t) => t.name)).toContain('public.api_tokens');
      for (const { name } of tables.rows) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.raw(name)}`.execute(a.store.db);
        const dump = JSON.stringify(rows.rows);
        expect(dump, `table ${name}`).not.toContain(secretBody);
      }
      const allLogs = logs.flat().join('');
      expect(allLogs).toContain('API token refused');
      expect(allLogs).not.toContain(secretBody);
      // The first answer of laterAnswers is the issue itself (it shows the secret, once).
      const issuedAt = laterAnswers.findIndex((text) => text.includes(secretBody));
      expect(laterAnswers.slice(issuedAt + 1).filter((text) => text.includes(secretBody))).toEqual([]);
      expect(laterAnswers.length - issuedAt).toBeGreaterThan(10);
    });
  },
);
