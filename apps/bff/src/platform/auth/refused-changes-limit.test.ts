import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoUserFor, type TestApp } from '../../testing/build-test-app.js';

interface AuditRow {
  action: string;
  result: string;
  parameters: unknown;
}

describe('refused changes are limited and audited as a count', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => app?.close());

  const auditRowsOf = async (actor: string) =>
    (
      await sql<AuditRow>`select action, result, parameters from audit_log where actor = ${actor} order by seq`.execute(
        app.store.db,
      )
    ).rows;

  it('1,000 refused changes from a viewer: 429 after the limit, two audit rows', async () => {
    const viewer = await app.signIn('viewer');
    const statuses = new Map<number, number>();
    let firstLimited = -1;
    for (let i = 0; i < 1000; i++) {
      const response = await fetch(`${app.url}/api/v1/rollbacks/preview`, {
        method: 'POST',
        headers: { ...viewer, 'content-type': 'application/json', 'idempotency-key': `refused-${1000 + i}` },
        body: '{"deployId":"d1","kind":"lambda","target":"f"}',
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429 && firstLimited < 0) firstLimited = i;
    }
    console.log('answers to 1,000 refused changes:', Object.fromEntries(statuses));
    // The role refusals count toward the limit (30 a minute by default), then the limiter answers.
    expect(firstLimited).toBe(app.config.auth.mutationsPerMinute);
    expect(statuses.get(403)).toBe(app.config.auth.mutationsPerMinute);
    expect(statuses.get(429)).toBe(1000 - app.config.auth.mutationsPerMinute);

    const actor = demoUserFor('viewer').email;
    expect(await auditRowsOf(actor)).toHaveLength(1);
    // Stopping writes the minute's summary: two rows in all, the second with the count.
    await app.app.close();
    const rows = await auditRowsOf(actor);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ action: 'POST /api/v1/rollbacks/preview', result: '403 Forbidden' });
    expect(rows[1]).toMatchObject({
      action: 'POST /api/v1/rollbacks/preview',
      result: '999 more refused',
      parameters: { refusedAfterFirst: 999, results: { '403 Forbidden': 29, '429 RateLimited': 970 } },
    });
  }, 120_000);
});

describe('the limiter runs before validation and CSRF', () => {
  it('bodies that fail validation and requests without a CSRF token count toward the limit', async () => {
    const app = await buildTestApp({ auth: { mutationsPerMinute: 5 } });
    try {
      const ops = await app.signIn('ops');
      const send = (headers: Record<string, string>, body: string, n: number) =>
        fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `limit-order-${n}` },
          body,
        }).then((r) => r.status);
      const answers = [];
      for (let n = 0; n < 3; n++) answers.push(await send(ops, '{"seconds":"soon"}', n));
      const { 'x-csrf-token': _token, ...noToken } = ops;
      for (let n = 3; n < 5; n++) answers.push(await send(noToken, '{"seconds":1}', n));
      answers.push(await send(ops, '{"seconds":1}', 5));
      expect(answers).toEqual([400, 400, 400, 403, 403, 429]);
    } finally {
      await app.close();
    }
  });
});
