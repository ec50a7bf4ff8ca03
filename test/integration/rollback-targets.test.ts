// Rollbacks target the deploy prepared in Flightdeck (its baseline, from the store); before any
// is prepared, in sandbox mode, the story's deploy.
import type { Deploy, RollbacksOverview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
}, 60_000);
afterAll(async () => app?.close());

describe('rollback targets', () => {
  it('are the story deploy’s until a deploy is prepared, then that deploy’s baseline', async () => {
    const before = await app.get<RollbacksOverview>('/api/v1/rollbacks', 'ops');
    expect(before.body.deploy?.id).toBe('story-2026-02-03');

    await waitFor(async () =>
      (await app.get<{ sources: { lambda: { data: unknown } } }>('/api/v1/overview')).body.sources.lambda.data
        ? true
        : undefined,
    );
    const response = await fetch(`${app.url}/api/v1/deploys`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': `prepare-${Date.now()}`,
      },
      body: '{}',
    });
    expect(response.status).toBe(201);
    const deploy = (await response.json()) as Deploy;

    const after = await app.get<RollbacksOverview>('/api/v1/rollbacks', 'ops');
    expect(after.body.deploy).toEqual({ id: deploy.id, environment: deploy.environment });
    const lambdaTargets = after.body.targets.filter((t) => t.kind === 'lambda').map((t) => t.target);
    expect(lambdaTargets).toEqual(deploy.baseline.aliases.map((a) => a.functionName));
  });
});
