import { metricsWindowIds, type MetricsWindowResponse } from '@flightdeck/contracts';
import { metricsWindows } from '@flightdeck/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservedDeployMarkers } from './deploy-markers.js';
import { StoreMarkerLog } from './store-marker-log.js';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const worker = 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot';

describe('GET /api/v1/metrics against the sandbox (real SDK clients over HTTP)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(metricsWindowIds)(
    'answers %s with every configured measure of both functions in as few GetMetricData calls as fit',
    async (window) => {
      // A week of sandbox traffic takes a few seconds to generate: the first answer may be "not yet".
      const body = await waitFor(async () => {
        const { status, body } = await app.get<MetricsWindowResponse>(`/api/v1/metrics?window=${window}`);
        expect(status).toBe(200);
        return body.metrics.fetchedAt ? body : undefined;
      }, 45_000);
      expect(body.metrics.error).toBeNull();
      const data = body.metrics.data!;
      const { seconds, periodSeconds } = metricsWindows[window];
      expect(data.periodSeconds).toBe(periodSeconds);
      const periods = seconds / periodSeconds;
      // A week at 1-minute periods is downsampled for the chart; shorter windows arrive whole.
      if (periods > 1_000) {
        expect(data.downsampledFrom).toBe(periods);
        expect(data.timestamps.length).toBeLessThanOrEqual(1_000);
      } else expect(data.timestamps).toHaveLength(periods);
      // A week of minutes is ~70,000 points per function: one call (100,800 points) each.
      expect(data.getMetricDataCalls).toBe(window === '7d' ? 2 : 1);
      expect(data.functions.map((f) => f.functionName)).toEqual([backend, worker]);
      expect(data.measures.map((m) => m.id)).toEqual([
        'invocations',
        'errors',
        'throttles',
        'durationAvg',
        'durationP50',
        'durationP99',
        'concurrency',
      ]);
      const api = data.functions[0]!;
      for (const m of data.measures) expect(api.values[m.id]).toHaveLength(data.timestamps.length);
      // The story: the notification preferences endpoint fails until the migrations are applied.
      expect(api.totals.invocations).toBeGreaterThan(0);
      expect(api.totals.errors).toBeGreaterThan(0);
      expect(api.errorRate).toBeGreaterThan(0);
      expect(api.totals.durationP99).toBeGreaterThan(api.totals.durationP50!);
      expect(api.totals.concurrency).toBeGreaterThan(0);
    },
    60_000,
  );

  it('refuses an unknown window with a 400 that names it', async () => {
    const { status, body } = await app.get<{ error: { code: string; message: string } }>(
      '/api/v1/metrics?window=2h',
    );
    expect(status).toBe(400);
    expect(body.error.message).toBe('Unknown window "2h": choose one of 15m, 1h, 3h, 24h, 7d');
  });

  it('compares before and after each deploy marker in the window: the release that broke the endpoint', async () => {
    const { body } = await app.get<MetricsWindowResponse>('/api/v1/metrics?window=7d');
    expect(body.markers.length).toBeGreaterThan(0);
    // The last release moved each alias: a marker about one function compares that function.
    const release = body.markers.find((m) => m.kind === 'alias-changed' && m.functionName === backend)!;
    const compared = body.comparisons.find((c) => c.markerId === release.id)!;
    expect(compared.minutes).toBe(10);
    expect(compared.functions.map((f) => f.functionName)).toEqual([backend]);
    // Release 14 reads the table the migrations add: errors start with it.
    const { before, after } = compared.functions[0]!;
    expect(before.invocations).toBeGreaterThan(0);
    expect(before.errors).toBe(0);
    expect(after.errors).toBeGreaterThan(0);
  });

  it('marks the migration on the chart: from the sandbox timeline, and as observed by Flightdeck’s own polls', async () => {
    const log = new StoreMarkerLog(app.store.db);
    const observed = new ObservedDeployMarkers(app.app.sources, undefined, log);
    observed.start();
    try {
      const before = await app.get<MetricsWindowResponse>('/api/v1/metrics?window=15m');
      expect(before.body.markers.filter((m) => m.kind === 'migration-applied')).toEqual([]);
      const appliedAt = Date.now();
      await app.control('POST', 'migrations/apply');
      const marker = await waitFor(async () => {
        const { body } = await app.get<MetricsWindowResponse>('/api/v1/metrics?window=15m');
        return body.markers.find((m) => m.kind === 'migration-applied');
      }, 15_000);
      expect(marker.source).toBe('sandbox-timeline');
      expect(Math.abs(Date.parse(marker.at) - appliedAt)).toBeLessThan(60_000);
      const seen = await waitFor(() => {
        const markers = observed.between(new Date(appliedAt - 1_000), new Date());
        return markers.length > 0 ? markers : undefined;
      }, 15_000);
      expect(seen[0]).toMatchObject({
        kind: 'migration-applied',
        title: 'Migrations applied: 20260115_0200 → 20260131_0000',
        source: 'observed',
      });
      // Kept in the store: a restarted BFF's markers start with what this one saw.
      const restarted = new ObservedDeployMarkers(app.app.sources, undefined, log);
      restarted.start();
      const kept = await waitFor(() => {
        const markers = restarted.between(new Date(appliedAt - 1_000), new Date());
        return markers.length > 0 ? markers : undefined;
      });
      await restarted.stop();
      expect(kept[0]).toEqual(seen[0]);
    } finally {
      await observed.stop();
    }
  });
});

describe('GET /api/v1/metrics follows config, not code', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({
      functions: [{ name: backend, label: 'API', alias: 'prod' }],
      metrics: {
        scope: 'alias',
        measures: [
          { id: 'calls', label: 'Calls', metric: 'Invocations', stat: 'Sum', unit: 'count' },
          { id: 'p90', label: 'Duration p90', metric: 'Duration', stat: 'p90', unit: 'milliseconds' },
        ],
      },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('charts the configured functions and measures of the alias’s traffic', async () => {
    const body = await waitFor(async () => {
      const { body } = await app.get<MetricsWindowResponse>('/api/v1/metrics?window=1h');
      return body.metrics.fetchedAt ? body : undefined;
    }, 20_000);
    const data = body.metrics.data!;
    expect(data.measures.map((m) => m.id)).toEqual(['calls', 'p90']);
    expect(data.functions).toHaveLength(1);
    expect(data.functions[0]).toMatchObject({ functionName: backend, label: 'API', alias: 'prod' });
    expect(data.functions[0]!.totals.calls).toBeGreaterThan(0);
    expect(data.functions[0]!.totals.p90).toBeGreaterThan(0);
    // Without an Errors measure there is no error rate to compute, rather than a made-up one.
    expect(data.functions[0]!.errorRate).toBeNull();
  });
});
