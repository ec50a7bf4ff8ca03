import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

interface ErrorBody {
  error: { code: string; message: string };
}

describe('types are refused, not coerced, in bodies; queries still read numbers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  let n = 0;
  const post = async (role: 'lead' | 'ops', path: string, body: string) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn(role)),
        'content-type': 'application/json',
        'idempotency-key': `coercion-${n++}`,
      },
      body,
    });

  it('a number or a boolean where text is asked is a 400 naming the field', async () => {
    for (const comment of ['123', 'true', '["a"]']) {
      const response = await post(
        'lead',
        '/api/v1/deploys/d1/items/health/sign-off',
        `{"comment": ${comment}}`,
      );
      expect(response.status, comment).toBe(400);
      const { error } = (await response.json()) as ErrorBody;
      expect(error.code).toBe('ValidationError');
      expect(error.message).toMatch(/comment must be string/);
    }
  });

  it('a number sent as text is refused, and the change does not happen', async () => {
    const before = (await app.control<{ scenarioTime: string }>('GET', 'state')).scenarioTime;
    const response = await post('ops', '/api/v1/sandbox/clock/advance', '{"seconds": "3600"}');
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toMatch(/seconds must be integer/);
    const after = (await app.control<{ scenarioTime: string }>('GET', 'state')).scenarioTime;
    // The clock moves with real time, never by the hour that was refused.
    expect(Date.parse(after) - Date.parse(before)).toBeLessThan(3_600_000);
  });

  it('query strings keep their coercion: ?limit=1 is the integer 1', async () => {
    await post('ops', '/api/v1/sandbox/clock/advance', '{"seconds": 1}');
    await post('ops', '/api/v1/sandbox/clock/advance', '{"seconds": 1}');
    const response = await app.get<{ entries: unknown[] }>('/api/v1/audit?limit=1', 'lead');
    expect(response.status).toBe(200);
    expect(response.body.entries).toHaveLength(1);
    const wrong = await app.get<ErrorBody>('/api/v1/audit?limit=lots', 'lead');
    expect(wrong.status).toBe(400);
  });
});
