import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../testing/build-test-app.js';

// The deploy story itself (on PGlite and PostgreSQL) is test/integration/deploys.test.ts.
describe('deploys without a store for them', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists none and says deploys are off, so the SPA learns it without a failed request', async () => {
    expect(await app.get('/api/v1/deploys')).toEqual({ status: 200, body: { deploys: [], enabled: false } });
  });

  it('has nothing to prepare: the change routes are not there', async () => {
    const response = await fetch(`${app.url}/api/v1/deploys`, {
      method: 'POST',
      headers: { ...(await app.signIn('ops')), 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: '{}',
    });
    expect(response.status).toBe(404);
  });
});
