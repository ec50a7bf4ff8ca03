import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployDetail, Deploy, NotificationEvent } from '@flightdeck/contracts';
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
function deployStory(
  name: string,
  startStore: () => Promise<StoreServer>,
  { skip = false, notifications = true }: { skip?: boolean; notifications?: boolean } = {},
) {
  describe.skipIf(skip)(`deploys on ${name}`, () => {
    let store: StoreServer;
    let app: TestApp;
    let deployId: string;
    /** The team's webhook: every deploy.* event Flightdeck sends, as received. */
    const received: NotificationEvent[] = [];
    let receiver: Server;
    let receiverUrl: string;

    const start = async (sandbox?: Sandbox) =>
      buildTestApp(
        // The evaluator is driven by the test (evaluateNow) so evidence ages are the test's to set.
        {
          // The sandbox's p99 swings with its simulated day by more than the default 50 %; the
          // p99 item has its own tests, and this story is about the deploy's life.
          deploys: { evaluateMs: 3_600_000, p99TolerancePercent: 500 },
          store: { url: store.url },
          auth: { mutationsPerMinute: 1_000_000 },
          notifications: {
            webhooks: notifications
              ? [{ name: 'team', url: `${receiverUrl}/hook`, events: ['deploy.*'], format: 'json' }]
              : [],
            ...(notifications ? { pollMs: 50 } : {}),
          },
          rollbacks: {
            pollMs: 100,
            frontend: {
              name: 'credmate-frontend',
              command: [process.execPath, '-e', 'console.log("deploying " + process.argv[1])', '{ref}'],
            },
          },
        },
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
    const detail = async (path = `/api/v1/deploys/${deployId}`) => (await app.get<DeployDetail>(path)).body;
    const item = (d: DeployDetail, id: string) => d.checklist.find((i) => i.id === id)!;
    /** Evaluates until `check` holds (the sources refresh on their own intervals); on timeout, says what it saw. */
    const evaluateUntil = async (check: (d: DeployDetail) => boolean, path?: string) => {
      let last: DeployDetail | null = null;
      try {
        return await waitFor(async () => {
          await app.deploys!.evaluator.evaluateNow();
          last = await detail(path);
          return check(last) ? last : undefined;
        }, 20_000);
      } catch (error) {
        throw new Error(
          `${String(error)}; last: ${JSON.stringify(last && { phase: (last as DeployDetail).deploy.phase, verdict: (last as DeployDetail).verdict })}`,
        );
      }
    };

    beforeAll(async () => {
      receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (c: Buffer) => (body += c.toString()));
        request.on('end', () => {
          received.push(JSON.parse(body) as NotificationEvent);
          response.writeHead(200).end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      store = await startStore();
      app = await start();
    }, 90_000);
    afterAll(async () => {
      await app?.close();
      await sandbox?.close();
      await store?.stop();
      receiver?.closeAllConnections();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    it('prepares a deploy (ops) with its baseline and a pre-migration snapshot; a second prepare is 409 naming it', async () => {
      await waitFor(async () =>
        (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
      );
      expect((await change('viewer', '/api/v1/deploys')).status).toBe(403);
      const prepared = await change('ops', '/api/v1/deploys', {
        release: {
          name: 'v2.14.0',
          commit: '4f2a9e1',
          url: 'https://example.invalid/pr/812',
          notes: 'notification preferences',
        },
      });
      expect(prepared.status).toBe(201);
      const deploy = prepared.body as Deploy;
      deployId = deploy.id;
      expect(deploy).toMatchObject({
        phase: 'preparing',
        preparedBy: 'omar@sandbox.flightdeck',
        baseline: { databaseRevision: '20260115_0200', codeHead: '20260131_0000' },
        pendingAtPrepare: ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'],
        release: { name: 'v2.14.0', commit: '4f2a9e1', targetRevision: '20260131_0000' },
        targetRevision: '20260131_0000',
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

    it('follows the snapshot: creating is pending (not a failure), then available, and the deploy becomes ready', async () => {
      const creating = await evaluateUntil(
        (d) => item(d, 'snapshot').evidence?.value.startsWith('creating') ?? false,
      );
      expect(item(creating, 'snapshot')).toMatchObject({
        state: 'pending',
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

    it('asks "go for the migration?" on the pre-deploy items only: post-deploy items are pending, not reasons', async () => {
      const before = await evaluateUntil(
        (d) => item(d, 'migration-tested').state === 'pass' && item(d, 'lambda-versions').state !== 'pending',
      );
      expect(before.verdict).toMatchObject({ gate: 'migration', question: 'Go for the migration?' });
      expect(before.verdicts.healthy.verdict).toBe('pending');
      expect(before.verdicts.close.verdict).toBe('pending');
      // The story's failing endpoint and its errors are the post-deploy items' business, later.
      for (const id of ['error-rate', 'health', 'alembic-at-head', 'workflows'])
        expect(item(before, id)).toMatchObject({ state: 'pending', judgement: 'not-yet' });
      expect(before.verdict.reasons.join('\n')).not.toMatch(/Error rates|health/);
      expect(before.verdict.reasons).toEqual([
        'Frontend commit documented and tagged: waiting for a lead’s sign-off',
        'Rollback procedures documented: waiting for a lead’s sign-off',
      ]);
      // The lint of the four revisions this release applies answers the migration item.
      expect(item(before, 'migration-tested').evidence?.question).toContain(
        '(20260115_0200 → 20260131_0000)',
      );
      expect(before.transitions).toEqual(['migration-started', 'migration-finished', 'cancel']);
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
      const early = await change('lead', path('workflows'), { comment: 'tested' });
      expect(early).toMatchObject({ status: 409, body: { error: { code: 'ItemNotOpen' } } });
      expect(early.body.error.message).toContain('opens once the database reaches the release’s target');
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
      for (const id of ['frontend-commit', 'rollback-procedures'])
        expect((await change('lead', path(id), { comment: `checked ${id}` })).status).toBe(200);
      const go = await evaluateUntil((d) => d.verdict.verdict === 'GO');
      expect(go.verdict).toMatchObject({ gate: 'migration', verdict: 'GO', reasons: [] });
      // GO for the migration while the post-deploy items wait for theirs.
      expect(item(go, 'error-rate').state).toBe('pending');
      expect(item(go, 'health').state).toBe('pending');
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

    it('refuses a transition that does not apply, saying the phase and what is allowed, and changes nothing', async () => {
      const before = await detail();
      const refused = await change('ops', `/api/v1/deploys/${deployId}/finish`, { note: 'too early' });
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'TransitionNotAllowed' } } });
      expect(refused.body.error.message).toBe(
        `Deploy ${deployId} is ready: finish it does not apply to a deploy in phase ready; allowed from ready: migration-started, migration-finished, cancel.`,
      );
      const released = await change('ops', `/api/v1/deploys/${deployId}/released`);
      expect(released.status).toBe(409);
      expect(released.body.error.message).toContain('the release applies migrations');
      expect((await change('lead', `/api/v1/deploys/${deployId}/cancel`, { reason: 'x' })).status).toBe(403);
      expect(
        (await change('ops', `/api/v1/deploys/${deployId}/migration`, { state: 'halfway' })).status,
      ).toBe(400);
      const after = await detail();
      expect(after.deploy).toEqual(before.deploy);
      expect(after.timeline).toHaveLength(before.timeline.length);
    });

    it('follows the migration: told it started, then sees the target reached; the snapshot item keeps its final evidence', async () => {
      const started = await change('ops', `/api/v1/deploys/${deployId}/migration`, { state: 'started' });
      expect(started.status).toBe(200);
      expect(started.body.deploy).toMatchObject({
        phase: 'migrating',
        migrationStartedAt: expect.any(String),
      });
      expect(started.body.verdict.gate).toBe('healthy');
      expect(item(started.body, 'snapshot')).toMatchObject({ state: 'pass', judgement: 'final' });
      await app.control('POST', 'migrations/apply');
      const migrated = await evaluateUntil(
        (d) => d.deploy.phase === 'verifying' && item(d, 'alembic-at-head').state === 'pass',
      );
      expect(migrated.deploy.migratedAt).not.toBeNull();
      expect(
        migrated.timeline.some(
          (e) => e.kind === 'phase-verifying' && e.message.includes('20260115_0200 → 20260131_0000'),
        ),
      ).toBe(true);
      const green = await evaluateUntil((d) =>
        ['alembic-at-head', 'schema-applied', 'health', 'schema-errors'].every(
          (id) => item(d, id).state === 'pass',
        ),
      );
      expect(item(green, 'health').evidence?.value).toBe('HTTP 200');
      expect(item(green, 'alembic-at-head').evidence?.value).toBe('at head 20260131_0000');
      expect(item(green, 'schema-applied').evidence?.value).toBe('no drift');
      expect(green.deploy.phase).toBe('verifying');
    }, 60_000);

    it('shows evidence older than its window as stale while its phase is open, never green', async () => {
      await app.control('POST', 'clock/advance', { seconds: 301 });
      const stale = await detail();
      expect(item(stale, 'health').state).toBe('stale');
      expect(stale.verdict).toMatchObject({ gate: 'healthy', verdict: 'NO-GO' });
      expect(
        stale.verdict.reasons.some(
          (r) =>
            r.startsWith('Application health checked: stale') && r.includes('older than its 5 min window'),
        ),
      ).toBe(true);
    });

    it('turns the error-rate item red on errors injected after the migration, and "healthy?" says why', async () => {
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
      // The pre-migration errors leave the window first.
      await app.control('POST', 'clock/advance', { seconds: 11 * 60 });
      expect(
        item(await evaluateUntil((d) => item(d, 'error-rate').state === 'pass'), 'error-rate').state,
      ).toBe('pass');
      expect((await inject('ops', backend, { count: 20 })).status).toBe(200);
      // The metrics count whole minutes: a minute on, every injected failure is in one.
      await app.control('POST', 'clock/advance', { seconds: 60 });
      const red = await evaluateUntil((d) => /^20 errors/.test(item(d, 'error-rate').evidence?.value ?? ''));
      expect(item(red, 'error-rate').state).toBe('fail');
      expect(red.verdict).toMatchObject({ gate: 'healthy', verdict: 'NO-GO' });
      expect(red.verdict.reasons).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Error rates at zero \(last 10 minutes\): 20 errors in \d+ invocations/),
        ]),
      );
      expect(red.deploy.phase).toBe('verifying');
    }, 60_000);

    it('goes to its watch (monitoring) once healthy: the post-deploy sign-off and an error window without failures', async () => {
      expect(
        (
          await change('lead', `/api/v1/deploys/${deployId}/items/workflows/sign-off`, {
            comment: 'prefs tested',
          })
        ).status,
      ).toBe(200);
      await app.control('POST', 'clock/advance', { seconds: 11 * 60 });
      const watching = await evaluateUntil((d) => d.deploy.phase === 'monitoring');
      expect(watching.verdicts.healthy).toMatchObject({ verdict: 'GO', reasons: [] });
      expect(watching.verdict.gate).toBe('close');
      expect(
        watching.timeline.some((e) => e.kind === 'phase-monitoring' && e.message.startsWith('Healthy')),
      ).toBe(true);
    }, 60_000);

    it('records the watch checkpoints; the snapshot item stays green past T+24 h; the watch-long item opens at its end', async () => {
      const early = await change('lead', `/api/v1/deploys/${deployId}/items/no-regression/sign-off`, {
        comment: 'all fine so far',
      });
      expect(early).toMatchObject({ status: 409, body: { error: { code: 'ItemNotOpen' } } });
      expect(early.body.error.message).toMatch(/opens at T\+24 h \(\d{4}-/);
      for (const [seconds, hours] of [
        [3600, 1],
        [5 * 3600, 6],
        [18 * 3600, 24],
      ] as const) {
        await app.control('POST', 'clock/advance', { seconds });
        const d = await evaluateUntil((x) =>
          x.timeline.some((e) => e.kind === 'checkpoint' && e.message.startsWith(`T+${hours} h`)),
        );
        const checkpoint = item(d, `watch-${hours}h`);
        expect(checkpoint.evidence?.question).toContain(`T+${hours} h`);
        expect(checkpoint.evidence?.value).toMatch(
          /^\d+ invocations, 0 errors \(0\.00 %\), p99 [\d.]+ ms, 0 schema errors; (nothing moved|moved: p99 .*)$/,
        );
      }
      const day = await detail();
      // The snapshot is a day old now; it was judged at prepare, and keeps that.
      expect(item(day, 'snapshot')).toMatchObject({ state: 'pass', judgement: 'final' });
      expect(day.verdicts.migration.verdict).toBe('GO');
      expect(day.deploy.phase).toBe('monitoring');
      const signed = await change('lead', `/api/v1/deploys/${deployId}/items/no-regression/sign-off`, {
        comment: 'no regression in 24 h',
      });
      expect(signed.status).toBe(200);
    }, 90_000);

    it('ends done once the close gate says GO (or a person finishes it), with how it ended', async () => {
      const d = await detail();
      const regressed = d.checklist.filter((i) => i.id.startsWith('watch-') && i.state === 'fail');
      // The sandbox's traffic may move p99 over a day: then the lead closes the watch with a note.
      if (regressed.length > 0) {
        const finished = await change('lead', `/api/v1/deploys/${deployId}/finish`, {
          note: 'p99 moved with the day’s traffic, not the release',
        });
        expect(finished.status).toBe(200);
        expect(finished.body.deploy.ending).toMatchObject({ kind: 'finished', by: 'lee@sandbox.flightdeck' });
      } else {
        const done = await evaluateUntil((x) => x.deploy.phase === 'done');
        expect(done.deploy.ending).toMatchObject({ kind: 'watch-over', by: 'flightdeck' });
      }
      expect((await detail()).deploy.phase).toBe('done');
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
      expect(markdown).toContain('v2.14.0');
      const page = await fetch(`${app.url}/api/v1/deploys/${deployId}/report`, { headers });
      expect(page.headers.get('content-type')).toContain('text/html');
    });

    let lambdaOnly: string;
    it('a Lambda-only release: no migration, the database items pass at once, released starts the watch, finish with a note', async () => {
      const prepared = await change('ops', '/api/v1/deploys', {
        release: {
          name: 'v2.14.1',
          commit: 'b7e9c1d',
          frontendRef: 'web-v2.14.1',
          notes: 'worker retry fix',
        },
      });
      expect(prepared.status).toBe(201);
      lambdaOnly = prepared.body.id;
      expect(prepared.body).toMatchObject({
        targetRevision: '20260131_0000',
        pendingAtPrepare: [],
        release: { name: 'v2.14.1', frontendRef: 'web-v2.14.1' },
        baseline: { frontendRef: 'web-v2.14.1', databaseRevision: '20260131_0000' },
      });
      const path = `/api/v1/deploys/${lambdaOnly}`;
      await app.control('POST', 'clock/advance', { seconds: 61 });
      const ready = await evaluateUntil((d) => d.deploy.phase === 'ready', path);
      expect(ready.transitions).toEqual(['released', 'cancel']);
      const migration = await change('ops', `${path}/migration`, { state: 'started' });
      expect(migration.status).toBe(409);
      expect(migration.body.error.message).toContain('applies no migrations');
      const released = await change('ops', `${path}/released`);
      expect(released.status).toBe(200);
      expect(released.body.deploy).toMatchObject({ phase: 'verifying', releasedAt: expect.any(String) });
      expect(released.body.deploy.watchStartedAt).toBe(released.body.deploy.releasedAt);
      const verified = await evaluateUntil(
        (d) => ['alembic-at-head', 'schema-applied'].every((id) => item(d, id).state === 'pass'),
        path,
      );
      expect(item(verified, 'alembic-at-head').evidence?.value).toBe('at head 20260131_0000');
      expect(
        (await change('lead', `${path}/items/workflows/sign-off`, { comment: 'worker checked' })).status,
      ).toBe(200);
      await evaluateUntil((d) => d.deploy.phase === 'monitoring', path);
      expect((await change('ops', `${path}/finish`, { note: '  ' })).status).toBe(400);
      const finished = await change('ops', `${path}/finish`, { note: 'worker fix confirmed in an hour' });
      expect(finished.status).toBe(200);
      expect(finished.body.deploy).toMatchObject({
        phase: 'done',
        ending: {
          kind: 'finished',
          by: 'omar@sandbox.flightdeck',
          message: expect.stringContaining('worker fix confirmed'),
        },
      });
      expect(finished.body.timeline.at(-1)).toMatchObject({
        kind: 'phase-done',
        message: expect.stringContaining('Closed by omar'),
      });
    }, 90_000);

    it('a prepared release cancelled with a reason: its snapshot stays and is named; an ended deploy is read-only', async () => {
      const unknown = await change('ops', '/api/v1/deploys', { release: { targetRevision: 'zzz' } });
      expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'UnknownRevision' } } });
      expect(unknown.body.error.message).toContain('its heads: 20260131_0000');
      const prepared = await change('ops', '/api/v1/deploys', { release: { name: 'v2.15.0' } });
      expect(prepared.status).toBe(201);
      const id = prepared.body.id as string;
      const snapshot = prepared.body.baseline.snapshot.identifier as string;
      // Sent twice under one Idempotency-Key (a retry after a lost answer): cancelled once, answered twice alike.
      const cancelOnce = async () => {
        const response = await fetch(`${app.url}/api/v1/deploys/${id}/cancel`, {
          method: 'POST',
          headers: {
            ...(await app.signIn('ops')),
            'content-type': 'application/json',
            'idempotency-key': `cancel-${id}`,
          },
          body: JSON.stringify({ reason: 'release pulled: a bug in QA' }),
        });
        return {
          status: response.status,
          replay: response.headers.get('idempotent-replay'),
          body: (await response.json()) as any,
        };
      };
      const cancelled = await cancelOnce();
      const retried = await cancelOnce();
      expect(retried).toMatchObject({ status: 200, replay: 'true' });
      expect(retried.body).toEqual(cancelled.body);
      expect(
        (await detail(`/api/v1/deploys/${id}`)).timeline.filter((e) => e.kind === 'phase-cancelled'),
      ).toHaveLength(1);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.deploy).toMatchObject({
        phase: 'cancelled',
        ending: { kind: 'cancelled', fromPhase: 'preparing' },
      });
      expect(cancelled.body.timeline.at(-1).message).toBe(
        `Cancelled by omar@sandbox.flightdeck: release pulled: a bug in QA. The snapshot ${snapshot} it took stays.`,
      );
      const again = await change('ops', `/api/v1/deploys/${id}/cancel`, { reason: 'twice' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('nothing (the deploy has ended)');
      const signOff = await change('lead', `/api/v1/deploys/${id}/items/frontend-commit/sign-off`, {
        comment: 'late',
      });
      expect(signOff).toMatchObject({ status: 409, body: { error: { code: 'DeployEnded' } } });
      // RDS takes one snapshot of an instance at a time: let this one finish before the next prepare.
      await app.control('POST', 'clock/advance', { seconds: 61 });
    });

    let watching: string;
    it('a new prepare while a deploy is in its watch closes it as superseded, on both timelines; while one is on its way it is 409', async () => {
      const first = await change('ops', '/api/v1/deploys', { release: { name: 'v2.16.0' } });
      watching = first.body.id;
      const path = `/api/v1/deploys/${watching}`;
      await app.control('POST', 'clock/advance', { seconds: 61 });
      await evaluateUntil((d) => d.deploy.phase === 'ready', path);
      const blocked = await change('ops', '/api/v1/deploys', { release: { name: 'v2.16.1' } });
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toContain(`Deploy ${watching} is already active`);
      await change('ops', `${path}/released`);
      await change('lead', `${path}/items/workflows/sign-off`, { comment: 'ok' });
      await evaluateUntil((d) => d.deploy.phase === 'monitoring', path);
      await app.control('POST', 'clock/advance', { seconds: 1 });
      const next = await change('ops', '/api/v1/deploys', {
        release: { name: 'v2.16.1', frontendRef: 'web-v2.16.1' },
      });
      expect(next.status).toBe(201);
      const older = (await app.get<DeployDetail>(path)).body;
      expect(older.deploy).toMatchObject({
        phase: 'done',
        ending: { kind: 'superseded', message: `superseded by ${next.body.id}` },
      });
      expect(older.timeline.at(-1)?.message).toContain(`superseded by ${next.body.id}`);
      const newer = (await app.get<DeployDetail>(`/api/v1/deploys/${next.body.id}`)).body;
      expect(newer.timeline[0]?.message).toContain(`supersedes ${watching}`);
      deployId = next.body.id;
    }, 60_000);

    it('a rollback job of the deploy finishing sets rolled-back, the job linked; nothing applies after', async () => {
      const started = await change('ops', '/api/v1/rollbacks', {
        deployId,
        kind: 'frontend',
        target: 'credmate-frontend',
        confirmation: 'credmate-frontend',
      });
      expect(started.status).toBe(202);
      const rolledBack = await waitFor(async () => {
        const d = await detail();
        return d.deploy.phase === 'rolled-back' ? d : undefined;
      }, 20_000);
      expect(rolledBack.deploy.ending).toMatchObject({ kind: 'rolled-back', by: 'omar@sandbox.flightdeck' });
      expect(rolledBack.timeline.at(-1)).toMatchObject({
        kind: 'phase-rolled-back',
        details: { jobId: started.body.id, kind: 'frontend' },
      });
      expect(rolledBack.transitions).toEqual([]);
      const refused = await change('ops', `/api/v1/deploys/${deployId}/cancel`, { reason: 'late' });
      expect(refused.status).toBe(409);
      expect((await detail()).timeline).toHaveLength(rolledBack.timeline.length);
    }, 60_000);

    it('has every transition on the timelines and in the audit log, and the list says how each deploy ended', async () => {
      const list = (await app.get<{ deploys: Deploy[] }>('/api/v1/deploys')).body.deploys;
      expect(list.map((d) => [d.release?.name ?? null, d.phase, d.ending?.kind ?? null])).toEqual([
        ['v2.16.1', 'rolled-back', 'rolled-back'],
        ['v2.16.0', 'done', 'superseded'],
        ['v2.15.0', 'cancelled', 'cancelled'],
        ['v2.14.1', 'done', 'finished'],
        ['v2.14.0', 'done', expect.stringMatching(/^(watch-over|finished)$/)],
      ]);
      const audit = await app.get<{ entries: Array<{ action: string; result: string }> }>(
        '/api/v1/audit?action=deploys',
        'ops',
      );
      const actions = audit.body.entries.filter((e) => e.result.startsWith('2')).map((e) => e.action);
      for (const action of [
        'POST /api/v1/deploys',
        'POST /api/v1/deploys/:id/migration',
        'POST /api/v1/deploys/:id/released',
        'POST /api/v1/deploys/:id/finish',
        'POST /api/v1/deploys/:id/cancel',
      ])
        expect(actions).toContain(action);
    });

    it.skipIf(!notifications)(
      'told the team each deploy event once, across the restart: prepared and ended per deploy, each checkpoint',
      async () => {
        const list = (await app.get<{ deploys: Deploy[] }>('/api/v1/deploys')).body.deploys;
        const ended = (id: string) => received.filter((e) => e.deployId === id && e.type === 'deploy.ended');
        await waitFor(() => (list.every((d) => ended(d.id).length > 0) ? true : undefined), 20_000);
        await new Promise((r) => setTimeout(r, 300));
        expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
        for (const deploy of list) {
          const events = received.filter((e) => e.deployId === deploy.id);
          expect(
            events.filter((e) => e.type === 'deploy.prepared'),
            deploy.id,
          ).toHaveLength(1);
          expect(events[0]!.type, deploy.id).toBe('deploy.prepared');
          // Ended once, last, saying how: done (finished, superseded, the watch over), cancelled, rolled back.
          expect(ended(deploy.id), deploy.id).toHaveLength(1);
          expect(events.at(-1)!.type, deploy.id).toBe('deploy.ended');
          expect(events.at(-1)!.data).toMatchObject({
            phase: deploy.phase,
            ending: { kind: deploy.ending!.kind },
          });
          // Each checkpoint on its timeline told once.
          const timeline = (await app.get<DeployDetail>(`/api/v1/deploys/${deploy.id}`)).body.timeline;
          expect(
            events.filter((e) => e.type === 'deploy.checkpoint').map((e) => e.data.hours),
            deploy.id,
          ).toEqual(timeline.filter((e) => e.kind === 'checkpoint').map((e) => e.details.hours));
        }
        const story = received.filter((e) => e.deployId === list.at(-1)!.id).map((e) => e.type);
        expect(story.filter((t) => t === 'deploy.checkpoint').length).toBeGreaterThan(0);
        for (const type of [
          'deploy.migration-started',
          'deploy.migration-finished',
          'deploy.item-signed-off',
          'deploy.item-revoked',
          'deploy.item-failed',
          'deploy.verdict-changed',
        ])
          expect(story, type).toContain(type);
      },
    );
  });
}

// The PGlite socket server runs every connection in one session: the outbox sender's transactions
// would not be isolated from the story's. The embedded PGlite store (one connection) is told the
// story's events in apps/bff/src/modules/notifications/notifications.test.ts.
deployStory('PGlite', startPgliteServer, { notifications: false });
deployStory('a real PostgreSQL server', startPostgresServer, { skip: !postgresAvailability().available });
