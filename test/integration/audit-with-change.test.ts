// Issue 23 item 1: a change, its events and its audit row are one transaction. On a real PGlite
// store whose audit table refuses inserts (a trigger that raises, the way a full disk or a broken
// table would), every change path answers 503 and nothing changed: no deploy, no sign-off, no
// revoke, no phase change, no timeline event, no rollback job. Issue 24: the rows that are written
// say in words what happened, with the target filled.
import type { AuditList, Deploy, DeployDetail, RollbacksOverview } from '@flightdeck/contracts';
import type { Role } from '@flightdeck/bff';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const storyDeployId = 'story-2026-02-03';

let app: TestApp;
let db: Kysely<unknown>;

beforeAll(async () => {
  app = await buildTestApp({
    deploys: { evaluateMs: 3_600_000 },
    auth: { mutationsPerMinute: 1_000_000 },
    rollbacks: { pollMs: 100 },
  });
  db = app.store.db as unknown as Kysely<unknown>;
  await sql`
    CREATE FUNCTION test_audit_insert_fails() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the audit table is broken (test)';
    END $$`.execute(db);
}, 60_000);
afterAll(async () => app?.close());

const breakAudit = () =>
  sql`CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION test_audit_insert_fails()`.execute(db);
const repairAudit = () => sql`DROP TRIGGER test_audit_fails ON audit_log`.execute(db);
const count = async (
  table:
    | 'audit_log'
    | 'rollback_jobs'
    | 'deploys'
    | 'deploy_events'
    | 'deploy_sign_offs'
    | 'notification_deliveries'
    | 'api_tokens',
) =>
  Number(
    (await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(db)).rows[0]!.n,
  );

async function change(role: Role, path: string, body: unknown = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: {
      ...(await app.signIn(role)),
      'content-type': 'application/json',
      'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function remove(role: Role, path: string) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'DELETE',
    headers: { ...(await app.signIn(role)), 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` },
  });
  return { status: response.status, body: (await response.json()) as any };
}

const detail = async (id: string) => (await app.get<DeployDetail>(`/api/v1/deploys/${id}`)).body;
/** Everything a change could have moved: item states and sign-offs, verdict, timeline, phase. */
const stateOf = (d: DeployDetail) => ({
  phase: d.deploy.phase,
  ending: d.deploy.ending,
  verdict: d.verdict,
  items: d.checklist.map((i) => ({ id: i.id, state: i.state, signOff: i.signOff ?? null })),
  timeline: d.timeline,
});

describe('a change and its audit row are one', () => {
  let deployId: string;

  it('a rollback start whose audit row cannot be written is 503 and leaves no job row, so nothing runs', async () => {
    await app.control('POST', 'clock/advance', { seconds: 60 });
    const jobsBefore = await count('rollback_jobs');
    const auditBefore = await count('audit_log');
    await breakAudit();
    try {
      const started = await change('ops', '/api/v1/rollbacks', {
        deployId: storyDeployId,
        kind: 'lambda',
        target: backend,
        confirmation: backend,
      });
      expect(started).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
      expect(started.body.error.message).toContain('nothing changed');
    } finally {
      await repairAudit();
    }
    expect(await count('rollback_jobs')).toBe(jobsBefore);
    expect(await count('audit_log')).toBe(auditBefore);
    const overview = (await app.get<RollbacksOverview>('/api/v1/rollbacks', 'ops')).body;
    expect(overview.jobs).toEqual([]);
  });

  it('a prepare whose audit row cannot be written is 503 and leaves no deploy', async () => {
    await waitFor(async () =>
      (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
    );
    const eventsBefore = await count('deploy_events');
    await breakAudit();
    try {
      const prepared = await change('ops', '/api/v1/deploys', {});
      expect(prepared).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
    } finally {
      await repairAudit();
    }
    expect(await count('deploys')).toBe(0);
    expect(await count('deploy_events')).toBe(eventsBefore);
    expect((await app.get<{ deploys: Deploy[] }>('/api/v1/deploys')).body.deploys).toEqual([]);

    // With the audit table working, the same prepare goes through and its row says so in words.
    const again = await change('ops', '/api/v1/deploys', {});
    expect(again.status).toBe(201);
    deployId = (again.body as Deploy).id;
    const rows = (await app.get<AuditList>('/api/v1/audit', 'lead')).body.entries;
    expect(rows[0]).toMatchObject({
      actor: 'omar@sandbox.flightdeck',
      action: 'POST /api/v1/deploys',
      summary: `omar prepared deploy ${deployId}`,
      target: `deploy ${deployId}`,
      result: `201 id ${deployId}`,
      at: again.body.preparedAt,
    });
  });

  it('sign-off, revoke and a transition whose audit row cannot be written are 503 and change nothing', async () => {
    const path = (itemId: string, action = 'sign-off') =>
      `/api/v1/deploys/${deployId}/items/${itemId}/${action}`;
    // A standing sign-off to revoke, written while the audit table works.
    expect((await change('lead', path('rollback-procedures'), { comment: 'guide reviewed' })).status).toBe(
      200,
    );
    const before = stateOf(await detail(deployId));
    const counts = async () => ({
      audit: await count('audit_log'),
      events: await count('deploy_events'),
      signOffs: await count('deploy_sign_offs'),
    });
    const countsBefore = await counts();

    await breakAudit();
    try {
      const signOff = await change('lead', path('frontend-commit'), { comment: 'commit tagged' });
      expect(signOff).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
      const revoke = await change('lead', path('rollback-procedures', 'revoke'), { reason: 'wrong guide' });
      expect(revoke).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
      const cancel = await change('ops', `/api/v1/deploys/${deployId}/cancel`, { reason: 'release pulled' });
      expect(cancel).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
    } finally {
      await repairAudit();
    }

    const after = stateOf(await detail(deployId));
    expect(after).toEqual(before);
    expect(after.items.find((i) => i.id === 'frontend-commit')!.state).toBe('pending');
    expect(after.items.find((i) => i.id === 'rollback-procedures')!.state).toBe('signed-off');
    expect(after.phase).toBe(before.phase);
    expect(await counts()).toEqual(countsBefore);
  });

  it('rows in words: who did what to which item of which deploy, the route kept for machines', async () => {
    const signed = await change('lead', `/api/v1/deploys/${deployId}/items/frontend-commit/sign-off`, {
      comment: 'commit tagged',
    });
    expect(signed.status).toBe(200);
    const signOffAt = (signed.body as DeployDetail).checklist.find((i) => i.id === 'frontend-commit')!
      .signOff!.at;
    const revoked = await change('lead', `/api/v1/deploys/${deployId}/items/rollback-procedures/revoke`, {
      reason: 'wrong guide',
    });
    expect(revoked.status).toBe(200);
    const refused = await change('lead', `/api/v1/deploys/${deployId}/items/no-such-item/sign-off`, {
      comment: 'x',
    });
    expect(refused.status).toBe(404);
    const cancelled = await change('ops', `/api/v1/deploys/${deployId}/cancel`, { reason: 'release pulled' });
    expect(cancelled.status).toBe(200);

    const rows = await waitFor(async () => {
      const entries = (await app.get<AuditList>('/api/v1/audit', 'lead')).body.entries;
      return entries.length >= 4 ? entries : undefined;
    });
    const [cancel, refusal, revoke, signOff] = rows;
    expect(signOff).toMatchObject({
      actor: 'lee@sandbox.flightdeck',
      role: 'lead',
      action: 'POST /api/v1/deploys/:id/items/:itemId/sign-off',
      summary: `lee signed off “Frontend commit documented and tagged” on deploy ${deployId}`,
      target: `deploy ${deployId} item frontend-commit`,
      parameters: { comment: 'commit tagged' },
      result: '200',
      at: signOffAt,
    });
    expect(revoke).toMatchObject({
      summary: `lee revoked the sign-off of “Rollback procedures documented” on deploy ${deployId}`,
      target: `deploy ${deployId} item rollback-procedures`,
    });
    expect(refusal).toMatchObject({
      summary: expect.stringMatching(
        /^lee was refused \(404 ItemNotFound\): sign off a manual checklist item/,
      ),
      target: `deploy ${deployId} item no-such-item`,
      result: '404 ItemNotFound',
    });
    expect(cancel).toMatchObject({
      actor: 'omar@sandbox.flightdeck',
      summary: expect.stringMatching(
        new RegExp(`^omar cancelled deploy ${deployId} \\(\\w+ → cancelled\\)$`),
      ),
      target: `deploy ${deployId}`,
    });
    // The words are what the filter finds, as well as the route.
    const found = (await app.get<AuditList>('/api/v1/audit?action=signed%20off', 'lead')).body.entries;
    expect(found.map((r) => r.summary)).toEqual([
      signOff!.summary,
      `lee signed off “Rollback procedures documented” on deploy ${deployId}`,
    ]);
    const csv = await fetch(`${app.url}/api/v1/audit?format=csv`, {
      headers: { cookie: (await app.signIn('lead')).cookie! },
    });
    expect(await csv.text()).toContain(
      `lee signed off “Frontend commit documented and tagged” on deploy ${deployId}`,
    );
  });
  it('a resend whose audit row cannot be written is 503 and queues no new delivery', async () => {
    // A delivery as the outbox keeps it (rollback events make them; seeded here).
    await sql`
      INSERT INTO notification_deliveries
        (id, event_id, type, deploy_id, ordering_key, webhook, event, state, created_at, next_attempt_at)
      VALUES ('delivery-1', 'event-1', 'rollback.started', ${deployId}, ${deployId}, 'pipeline',
        ${JSON.stringify({ id: 'event-1', type: 'rollback.started' })}::jsonb, 'failed', now(), null)`.execute(
      db,
    );
    const before = await count('notification_deliveries');
    const auditBefore = await count('audit_log');
    await breakAudit();
    try {
      const resent = await change('ops', '/api/v1/notifications/delivery-1/resend');
      expect(resent).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
    } finally {
      await repairAudit();
    }
    expect(await count('notification_deliveries')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);

    const resent = await change('ops', '/api/v1/notifications/delivery-1/resend');
    expect(resent.status).toBe(201);
    expect(await count('notification_deliveries')).toBe(before + 1);
    const row = (await app.get<AuditList>('/api/v1/audit', 'lead')).body.entries[0];
    expect(row).toMatchObject({
      summary: `omar resent delivery delivery-1 (rollback.started) to webhook pipeline, as delivery ${resent.body.id}`,
      target: 'delivery delivery-1',
      result: `201 id ${resent.body.id}`,
    });
  });

  it('an API token issued or revoked without its audit row is 503 and nothing changed', async () => {
    const tokensBefore = await count('api_tokens');
    const auditBefore = await count('audit_log');
    const issue = { name: 'release-pipeline', role: 'lead', expiresInDays: 30 };
    await breakAudit();
    try {
      const refused = await change('ops', '/api/v1/tokens', issue);
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
    } finally {
      await repairAudit();
    }
    expect(await count('api_tokens')).toBe(tokensBefore);
    expect(await count('audit_log')).toBe(auditBefore);

    const issued = await change('ops', '/api/v1/tokens', issue);
    expect(issued.status).toBe(201);
    const row = (await app.get<AuditList>('/api/v1/audit', 'lead')).body.entries[0];
    expect(row).toMatchObject({ target: 'token release-pipeline', result: `201 id ${issued.body.id}` });
    expect(row?.summary).toMatch(
      /^omar issued the lead API token “release-pipeline”, expiring \d{4}-\d{2}-\d{2}$/,
    );
    expect(JSON.stringify(row)).not.toContain(issued.body.token);

    await breakAudit();
    try {
      const refused = await remove('ops', `/api/v1/tokens/${issued.body.id}`);
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'AuditUnavailable' } } });
    } finally {
      await repairAudit();
    }
    const list = await app.get<{ tokens: Array<{ id: string; state: string }> }>('/api/v1/tokens', 'ops');
    expect(list.body.tokens.find((t) => t.id === issued.body.id)?.state).toBe('active');
    expect((await remove('ops', `/api/v1/tokens/${issued.body.id}`)).status).toBe(200);
  });
});
