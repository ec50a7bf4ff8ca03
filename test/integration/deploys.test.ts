import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployDetail, Deploy } from '@flightdeck/contracts';
import type { Role } from '@flightdeck/bff';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import type { Sandbox } from '@flightdeck/sandbox';
import { postgresAvailability, startPostgresServer } from '../support/postgres-server.js';
import { startPgliteServer } from '../support/pglite-server.js';

interface StoreServer {
  url: string;
  stop(): Promise<void>;
}

/** The deploy story through the API, on one store; the BFF is restarted in the middle of it. */
function deployStory(name: string, startStore: () => Promise<StoreServer>, skip = false) {
  describe.skipIf(skip)(`deploys on ${name}`, () => {
    let store: StoreServer;
    let app: TestApp;
    let deployId: string;

    const start = async (sandbox?: Sandbox) =>
      buildTestApp(
        // The evaluator is driven by the test (evaluateNow) so evidence ages are the test's to set.
        { deploys: { evaluateMs: 3_600_000 }, store: { url: store.url } },
        sandbox ? { sandbox } : {},
      );
    let sandbox: Sandbox | null = null;
    const change = async (role: Role, path: string, body: unknown = {}) => {
      const headers = await app.signIn(role);
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const detail = async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body;
    const item = (d: DeployDetail, id: string) => d.checklist.find((i) => i.id === id)!;
    /** Evaluates until `check` holds: the sources refresh on their own intervals. */
    /** Evaluates until `check` holds (the sources refresh on their own intervals); on timeout, says what it saw. */
    const evaluateUntil = async (check: (d: DeployDetail) => boolean) => {
      let last: DeployDetail | null = null;
      try {
        return await waitFor(async () => {
          await app.deploys!.evaluator.evaluateNow();
          last = await detail();
          return check(last) ? last : undefined;
        }, 20_000);
      } catch (error) {
        throw new Error(
          `${String(error)}; last verdict: ${JSON.stringify(last && (last as DeployDetail).verdict)}`,
        );
      }
    };

    beforeAll(async () => {
      store = await startStore();
      app = await start();
    }, 90_000);
    afterAll(async () => {
      await app?.close();
      await sandbox?.close();
      await store?.stop();
    });

    it('prepares a deploy (ops) with its baseline and a pre-migration snapshot; a second prepare is 409 naming it', async () => {
      await waitFor(async () =>
        (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
      );
      expect((await change('viewer', '/api/v1/deploys')).status).toBe(403);
      const prepared = await change('ops', '/api/v1/deploys');
      expect(prepared.status).toBe(201);
      const deploy = prepared.body as Deploy;
      deployId = deploy.id;
      expect(deploy).toMatchObject({
        phase: 'preparing',
        preparedBy: 'omar@sandbox.flightdeck',
        baseline: { databaseRevision: '20260115_0200', codeHead: '20260131_0000' },
        pendingAtPrepare: ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'],
      });
      expect(deploy.id).toMatch(/^production-\d{8}T\d{6}Z$/);
      expect(deploy.baseline.snapshot?.identifier).toMatch(/^prod-credmate-db-pre-migration-\d{8}-\d{6}$/);
      expect(deploy.baseline.aliases.length).toBeGreaterThan(0);

      const second = await change('ops', '/api/v1/deploys');
      expect(second.status).toBe(409);
      expect(second.body.error.message).toContain(`Deploy ${deployId} is already active`);
      const list = (await app.get<{ deploys: Deploy[] }>('/api/v1/deploys')).body;
      expect(list).toMatchObject({ deploys: [{ id: deployId }] });
    });

    it('follows the snapshot: creating with a percentage, then available, and the deploy becomes ready', async () => {
      const creating = await evaluateUntil(
        (d) => item(d, 'snapshot').evidence?.value.startsWith('creating') ?? false,
      );
      expect(item(creating, 'snapshot')).toMatchObject({
        state: 'fail',
        evidence: { value: expect.stringMatching(/^creating \(\d+ %\)$/) },
      });
      await app.control('POST', 'clock/advance', { seconds: 61 });
      const available = await evaluateUntil((d) => item(d, 'snapshot').state === 'pass');
      expect(item(available, 'snapshot').evidence?.value).toMatch(/^available, \d+ min old$/);
      expect(available.deploy.phase).toBe('ready');
      expect(available.timeline.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['prepared', 'snapshot-started', 'phase-ready']),
      );
    });

    it('says NO-GO with its reasons before the migration: errors, pending revisions, a failing health URL', async () => {
      const before = await evaluateUntil(
        (d) => item(d, 'error-rate').state === 'fail' && item(d, 'health').state === 'fail',
      );
      expect(before.verdict.verdict).toBe('NO-GO');
      expect(before.verdict.reasons.join('\n')).toMatch(
        /Error rates at zero.*: \d+ errors in \d+ invocations/,
      );
      expect(item(before, 'alembic-at-head')).toMatchObject({
        state: 'fail',
        evidence: { value: expect.stringContaining('4 pending') },
      });
      expect(item(before, 'health').evidence?.value).toBe('HTTP 503');
    });

    it('refuses bad sign-offs with a message and changes nothing; a lead signs off and can revoke once', async () => {
      const path = (itemId: string, action = 'sign-off') =>
        `/api/v1/deploys/${deployId}/items/${itemId}/${action}`;
      const eventsBefore = (await detail()).timeline.length;
      expect((await change('viewer', path('frontend-commit'), { comment: 'ok' })).status).toBe(403);
      const preparer = await change('ops', path('frontend-commit'), { comment: 'ok' });
      expect(preparer).toMatchObject({ status: 403, body: { error: { code: 'PreparerMayNotSignOff' } } });
      expect(preparer.body.error.message).toContain('another lead must sign off');
      const automatic = await change('lead', path('error-rate'), { comment: 'looks fine' });
      expect(automatic).toMatchObject({ status: 409, body: { error: { code: 'ItemIsAutomatic' } } });
      expect((await change('lead', path('frontend-commit'), { comment: '   ' })).status).toBe(400);
      expect((await change('lead', path('no-such-item'), { comment: 'ok' })).status).toBe(404);
      expect(
        (
          await change('lead', `/api/v1/deploys/other-deploy/items/frontend-commit/sign-off`, {
            comment: 'ok',
          })
        ).status,
      ).toBe(404);
      expect(
        (await change('lead', path('frontend-commit', 'revoke'), { reason: 'never signed' })).status,
      ).toBe(409);
      const unchanged = await detail();
      expect(item(unchanged, 'frontend-commit').state).toBe('pending');
      expect(unchanged.timeline).toHaveLength(eventsBefore);

      const signed = await change('lead', path('rollback-procedures'), {
        comment: 'rollback guide reviewed',
      });
      expect(signed.status).toBe(200);
      expect(item(signed.body, 'rollback-procedures')).toMatchObject({
        state: 'signed-off',
        signOff: { by: 'lee@sandbox.flightdeck' },
      });
      expect((await change('lead', path('rollback-procedures'), { comment: 'again' })).status).toBe(409);
      const revoked = await change('lead', path('rollback-procedures', 'revoke'), {
        reason: 'guide points the alias at $LATEST',
      });
      expect(revoked.status).toBe(200);
      expect(item(revoked.body, 'rollback-procedures')).toMatchObject({
        state: 'pending',
        signOff: { revokeReason: 'guide points the alias at $LATEST' },
      });
      expect((await change('lead', path('rollback-procedures', 'revoke'), { reason: 'twice' })).status).toBe(
        409,
      );
      for (const id of ['frontend-commit', 'rollback-procedures', 'migration-tested', 'workflows'])
        expect((await change('lead', path(id), { comment: `checked ${id}` })).status).toBe(200);
    });

    it('keeps every sign-off, piece of evidence and event across a BFF restart', async () => {
      const before = await detail();
      // Only the BFF restarts: the sandbox (AWS, the database, the scenario clock) keeps running.
      sandbox = app.sandbox;
      await app.app.close();
      app = await start(sandbox!);
      const after = await detail();
      expect(after.deploy).toEqual(before.deploy);
      expect(after.timeline).toEqual(before.timeline);
      for (const b of before.checklist) {
        const a = item(after, b.id);
        expect(a.signOff).toEqual(b.signOff);
        expect(a.evidence).toEqual(b.evidence);
      }
    }, 90_000);

    it('detects the migration from the live revision, turns the schema, snapshot, alias and health items green', async () => {
      await app.control('POST', 'migrations/apply');
      const migrated = await evaluateUntil(
        (d) => d.deploy.phase === 'monitoring' && item(d, 'alembic-at-head').state === 'pass',
      );
      expect(migrated.deploy.migratedAt).not.toBeNull();
      expect(
        migrated.timeline.some(
          (e) => e.kind === 'phase-monitoring' && e.message.includes('20260115_0200 → 20260131_0000'),
        ),
      ).toBe(true);
      const green = await evaluateUntil((d) =>
        ['snapshot', 'lambda-versions', 'alembic-at-head', 'schema-applied', 'health', 'schema-errors'].every(
          (id) => item(d, id).state === 'pass',
        ),
      );
      expect(item(green, 'health').evidence?.value).toBe('HTTP 200');
      expect(item(green, 'alembic-at-head').evidence?.value).toBe('at head 20260131_0000');
      expect(item(green, 'schema-applied').evidence?.value).toBe('no drift');
    }, 60_000);

    it('goes GO once the error window holds only post-migration minutes (the scenario clock plays them)', async () => {
      // The metric and log windows follow the sandbox's clock: ten minutes on, the failing
      // pre-migration requests have left the error window.
      await app.control('POST', 'clock/advance', { seconds: 11 * 60 });
      const go = await evaluateUntil((d) => d.verdict.verdict === 'GO');
      expect(item(go, 'error-rate')).toMatchObject({
        state: 'pass',
        evidence: { value: expect.stringMatching(/^0 errors in \d+ invocations \(0\.00 %\)$/) },
      });
      expect(item(go, 'response-times').state).toBe('pass');
      expect(go.verdict.reasons).toEqual([]);
    }, 60_000);

    it('turns the error-rate item red on errors injected after the migration, and NO-GO says why', async () => {
      const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
      const inject = (role: Role, functionName: string, body: unknown) =>
        change(role, `/api/v1/sandbox/functions/${functionName}/errors`, body);
      expect((await inject('viewer', backend, { count: 20 })).status).toBe(403);
      for (const [name, body] of [
        [backend, { count: 0 }],
        [backend, { count: 'many' }],
        [backend, {}],
        ['no-such-function', { count: 20 }],
      ] as const) {
        const refused = await inject('ops', name, body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.body.error.message).toEqual(expect.any(String));
      }
      expect(item(await evaluateUntil(() => true), 'error-rate').state).toBe('pass');

      expect((await inject('ops', backend, { count: 20 })).status).toBe(200);
      // The metrics count whole minutes: a minute on, every injected failure is in one.
      await app.control('POST', 'clock/advance', { seconds: 60 });
      // The metrics source refreshes on its own interval after the clock moves: wait for all 20.
      const red = await evaluateUntil((d) => /^20 errors/.test(item(d, 'error-rate').evidence?.value ?? ''));
      expect(item(red, 'error-rate').state).toBe('fail');
      expect(item(red, 'error-rate').evidence?.value).toMatch(
        /^20 errors in \d+ invocations \(\d+\.\d\d %\)$/,
      );
      expect(red.verdict.verdict).toBe('NO-GO');
      expect(red.verdict.reasons).toEqual([
        expect.stringMatching(/^Error rates at zero \(last 10 minutes\): 20 errors in \d+ invocations/),
      ]);
    }, 60_000);

    it('shows evidence older than its window as stale, never green, and NO-GO says why', async () => {
      await app.control('POST', 'clock/advance', { seconds: 301 });
      const stale = await detail();
      expect(item(stale, 'error-rate').state).toBe('stale');
      expect(item(stale, 'health').state).toBe('stale');
      expect(stale.verdict.verdict).toBe('NO-GO');
      expect(
        stale.verdict.reasons.some(
          (r) =>
            r.startsWith('Application health checked: stale') && r.includes('older than its 5 min window'),
        ),
      ).toBe(true);
    });

    it('records the watch checkpoints at T+1 h, T+6 h and T+24 h as the scenario clock advances', async () => {
      for (const [seconds, hours] of [
        [3600, 1],
        [5 * 3600, 6],
        [18 * 3600, 24],
      ] as const) {
        await app.control('POST', 'clock/advance', { seconds });
        const d = await evaluateUntil((x) =>
          x.timeline.some((e) => e.kind === 'checkpoint' && e.message.startsWith(`T+${hours} h`)),
        );
        expect(item(d, `watch-${hours}h`).evidence?.question).toContain(`T+${hours} h`);
        // The injected failures are hours behind: no errors in the window at any checkpoint. (p99 may
        // move: the sandbox's traffic changes over the day, and the checkpoint then says what moved.)
        const checkpoint = item(d, `watch-${hours}h`);
        expect(checkpoint.evidence?.value).toMatch(
          /^\d+ invocations, 0 errors \(0\.00 %\), p99 [\d.]+ ms, 0 schema errors; (nothing moved|moved: p99 .*)$/,
        );
        expect(checkpoint.state).toBe(checkpoint.evidence?.value.endsWith('nothing moved') ? 'pass' : 'fail');
      }
      const done = await detail();
      expect(done.timeline.filter((e) => e.kind === 'checkpoint')).toHaveLength(3);
      expect(done.deploy.phase).toBe('done');
    }, 60_000);

    it('exports the report as Markdown with the revisions, the counts and the error-rate figures', async () => {
      const headers = await app.signIn('viewer');
      const response = await fetch(`${app.url}/api/v1/deploys/${deployId}/report`, {
        headers: { ...headers, accept: 'text/markdown' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/markdown');
      const markdown = await response.text();
      expect(markdown).toContain('Database revision 20260115_0200 → 20260131_0000');
      expect(markdown).toMatch(/\| 20260115_0300 \| .* \| 1 \| \d+ \| \d+ \| 0 \|/);
      expect(markdown).toMatch(/\| Before \| \d+ \| \d+ \| \d+\.\d\d % \|/);
      expect(markdown).toContain('prod-credmate-db-pre-migration-');
      const page = await fetch(`${app.url}/api/v1/deploys/${deployId}/report`, { headers });
      expect(page.headers.get('content-type')).toContain('text/html');
    });
  });
}

deployStory('PGlite', startPgliteServer);
deployStory('a real PostgreSQL server', startPostgresServer, !postgresAvailability().available);
