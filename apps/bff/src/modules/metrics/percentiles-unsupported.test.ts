// An AWS-compatible endpoint that cannot compute percentiles (it answers 500 to any pNN statistic):
// counts still answer in every window and on the Overview; percentiles say why they are missing.
import { metricsWindowIds, type MetricsWindowResponse, type Overview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

describe('GetMetricData without percentiles (sandbox fault percentiles-unsupported)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
    await app.control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'percentiles-unsupported',
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the Overview keeps invocations and errors, and marks p99 unavailable with the reason', async () => {
    const fn = await waitFor(async () => {
      const { body } = await app.get<Overview>('/api/v1/overview');
      const first = body.sources.metrics.data?.functions[0];
      return first?.unavailable ? first : undefined;
    }, 30_000);
    expect(fn.invocations).toBeGreaterThan(0);
    expect(fn.errors).toBeGreaterThan(0);
    expect(fn.p99DurationMs).toBeNull();
    expect(fn.unavailable?.p99DurationMs?.reason).toMatch(/^p99 unavailable from this endpoint: /);
    expect(fn.unavailable?.invocations).toBeUndefined();
  });

  it.each(metricsWindowIds)(
    'the %s window charts the counts and says why p50/p99 are missing',
    async (window) => {
      const data = await waitFor(async () => {
        const { body } = await app.get<MetricsWindowResponse>(`/api/v1/metrics?window=${window}`);
        return body.metrics.data ?? undefined;
      }, 45_000);
      const api = data.functions[0]!;
      expect(api.totals.invocations).toBeGreaterThan(0);
      expect(api.totals.errors).toBeGreaterThan(0);
      expect(api.totals.durationP99).toBeNull();
      expect(api.unavailable?.durationP99?.reason).toMatch(/unavailable from this endpoint/);
      expect(api.unavailable?.durationP50?.reason).toMatch(/unavailable from this endpoint/);
      expect(api.unavailable?.invocations).toBeUndefined();
    },
    60_000,
  );
});
