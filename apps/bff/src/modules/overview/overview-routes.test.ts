import type { Overview } from '@flightdeck/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const worker = 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot';

interface Calls {
  total: number;
  byOperation: Record<string, number>;
}

describe('GET /api/v1/overview against the sandbox (real SDK clients over HTTP)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await app.control('DELETE', 'faults');
  });

  it('reports the story: 4 pending migrations, the snapshot, both functions with backend errors', async () => {
    // The first answer waits only briefly for the first reads; on a busy machine one may still be out.
    const { status, body } = await waitFor(async () => {
      const answer = await app.get<Overview>('/api/v1/overview');
      return Object.values(answer.body.sources).every((s) => s.fetchedAt) ? answer : undefined;
    }, 20_000);
    expect(status).toBe(200);
    const { alembic, rds, metrics, lambda, logs } = body.sources;
    expect(alembic.error).toBeNull();
    expect(alembic.data).toMatchObject({
      current: ['20260115_0200'],
      heads: ['20260131_0000'],
      pending: ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'],
      upToDate: false,
    });
    expect(rds.data?.latestManualSnapshot).toMatchObject({
      id: 'prod-credmate-pre-migration-20260203-062934',
      status: 'available',
      sizeGb: 20,
    });
    expect(rds.data?.instance).toMatchObject({
      id: 'prod-credmate-db',
      status: 'available',
      engine: 'postgres',
    });
    const fns = metrics.data?.functions ?? [];
    expect(fns.map((f) => f.functionName)).toEqual([backend, worker]);
    const api = fns[0]!;
    expect(api.invocations).toBeGreaterThan(0);
    expect(api.errors).toBeGreaterThan(0);
    expect(api.errorRate).toBeGreaterThan(0);
    expect(lambda.data?.functions.map((f) => f.functionName)).toEqual([backend, worker]);
    expect(logs.data?.lines.some((l) => l.message.includes('does not exist'))).toBe(true);
  });

  it('isolates a throttled CloudWatch: 200, metrics keep their last good value with its age, others fresh', async () => {
    await waitFor(async () =>
      (await app.get<Overview>('/api/v1/overview')).body.sources.metrics.fetchedAt ? true : undefined,
    );
    await app.control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'throttle',
    });
    const injectedAt = Date.now();
    const failing = await waitFor(async () => {
      const { status, body } = await app.get<Overview>('/api/v1/overview');
      expect(status).toBe(200);
      return body.sources.metrics.error && Date.parse(body.sources.metrics.error.at) > injectedAt
        ? body
        : undefined;
    });
    const m = failing.sources.metrics;
    // CloudWatch's own code for throttling is "Throttling" (awsQuery-compatible); the SDK keeps it.
    expect(m.error?.code).toMatch(/^Throttling(Exception)?$/);
    expect(m.data?.functions).toHaveLength(2);
    expect(Date.parse(m.fetchedAt!)).toBeLessThan(Date.parse(m.error!.at));
    const later = await waitFor(async () => {
      const { body } = await app.get<Overview>('/api/v1/overview');
      return Date.parse(body.sources.rds.fetchedAt!) > injectedAt &&
        Date.parse(body.sources.alembic.fetchedAt!) > injectedAt &&
        Date.parse(body.sources.logs.fetchedAt!) > injectedAt &&
        Date.parse(body.sources.lambda.fetchedAt!) > injectedAt
        ? body
        : undefined;
    });
    for (const name of ['alembic', 'rds', 'logs', 'lambda'] as const) {
      expect(later.sources[name].error, name).toBeNull();
    }
    expect(later.sources.metrics.error?.code).toMatch(/^Throttling/);
  });

  it('keeps GetMetricData calls to one per poll interval while 50 viewers read concurrently', async () => {
    await app.control('DELETE', 'calls');
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      const burst = await Promise.all(
        Array.from({ length: 50 }, () => app.get<Overview>('/api/v1/overview')),
      );
      expect(burst.every((r) => r.status === 200)).toBe(true);
    }
    const elapsed = Date.now() - started;
    const calls = await app.control<Calls>('GET', 'calls');
    const polls = Math.ceil(elapsed / app.config.intervals.metricsMs) + 1;
    expect(calls.byOperation['CloudWatch.GetMetricData'] ?? 0).toBeLessThanOrEqual(polls);
  });

  it('answers 50 concurrent overview requests with at most one GetMetricData call per refresh', async () => {
    // Stop the poll loop so each refresh is one we count.
    await app.app.sources.stop();
    try {
      await app.control('DELETE', 'calls');
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => app.get<Overview>('/api/v1/overview')),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const afterReads = await app.control<Calls>('GET', 'calls');
      expect(afterReads.byOperation['CloudWatch.GetMetricData'] ?? 0).toBe(0);
      // 50 viewers asking for a refresh at once share one upstream call.
      await Promise.all(Array.from({ length: 50 }, () => app.app.sources.collectors.metrics.refresh()));
      const afterRefresh = await app.control<Calls>('GET', 'calls');
      expect(afterRefresh.byOperation['CloudWatch.GetMetricData']).toBe(1);
    } finally {
      app.app.sources.start();
    }
  });
});
