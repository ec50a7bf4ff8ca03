import type { OverviewSources } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { metricsAsOf, sourceStandings, windowMetrics } from './live-facts.js';

const state = <T>(data: T | null) => ({ data, fetchedAt: null, error: null, intervalMs: 1000 });

/** One function's hour of minutes ending at `lastMinute`; the minutes before `cleanFrom` fail 2 of 10. */
function sourcesWith(lastMinute: string, cleanFrom: string): OverviewSources {
  const last = Date.parse(lastMinute);
  const series = Array.from({ length: 60 }, (_, k) => {
    const t = last - (59 - k) * 60_000;
    return {
      t: new Date(t).toISOString(),
      invocations: 10,
      errors: t < Date.parse(cleanFrom) ? 2 : 0,
      p99DurationMs: 5,
    };
  });
  return {
    alembic: state(null),
    rds: state(null),
    lambda: state(null),
    logs: state(null),
    metrics: state({
      windowMinutes: 60,
      periodSeconds: 60,
      functions: [
        {
          functionName: 'api',
          label: 'API',
          invocations: 600,
          errors: 0,
          errorRate: 0,
          p99DurationMs: 5,
          avgDurationMs: 3,
          series,
        },
      ],
    }),
  } as OverviewSources;
}

describe('the metrics window of the checklist', () => {
  it('runs up to the end of the newest minute the source holds', () => {
    expect(metricsAsOf(sourcesWith('2026-02-03T08:14:00Z', '2026-02-03T08:00:00Z'))).toBe(
      '2026-02-03T08:15:00.000Z',
    );
    expect(
      metricsAsOf({ ...sourcesWith('2026-02-03T08:14:00Z', '2026-02-03T08:00:00Z'), metrics: state(null) }),
    ).toBeNull();
  });

  it('counts the last minutes on the source’s clock: fifteen clean minutes after a migration read as zero errors', () => {
    // The migration at 08:00; the sandbox's clock (and its data) has moved on to 08:15.
    const sources = sourcesWith('2026-02-03T08:14:00Z', '2026-02-03T08:00:00Z');
    expect(windowMetrics(sources, '2026-02-03T08:15:20Z', 10, '2026-02-03T08:00:00Z')).toEqual({
      invocations: 100,
      errors: 0,
      p99Ms: 5,
      schemaErrors: 0,
      p99ByFunction: [{ functionName: 'api', label: 'API', invocations: 100, p99Ms: 5 }],
    });
  });

  it('data fetched before the migration still holds the failing minutes: the window cannot see past the data', () => {
    // The source last answered at 08:05 (its data ends there) though the deploy's clock says 08:15.
    const sources = sourcesWith('2026-02-03T08:04:00Z', '2026-02-03T08:00:00Z');
    expect(windowMetrics(sources, '2026-02-03T08:15:20Z', 10, null)).toMatchObject({
      invocations: 100,
      errors: 10,
    });
  });
});

describe('the window’s p99', () => {
  const minute = (k: number, invocations: number, p99DurationMs: number) => ({
    t: new Date(Date.parse('2026-02-03T08:00:00Z') + k * 60_000).toISOString(),
    invocations,
    errors: 0,
    p99DurationMs,
  });
  const withFunctions = (...series: Array<ReturnType<typeof minute>[]>) => {
    const base = sourcesWith('2026-02-03T08:09:00Z', '2026-02-03T08:00:00Z');
    const fn = base.metrics.data!.functions[0]!;
    return {
      ...base,
      metrics: state({
        ...base.metrics.data!,
        functions: series.map((s, i) => ({ ...fn, functionName: `fn${i}`, series: s })),
      }),
    } as OverviewSources;
  };
  const p99 = (sources: OverviewSources) => windowMetrics(sources, '2026-02-03T08:10:00Z', 10, null)!.p99Ms;

  it('weighs each minute’s p99 by its invocations instead of taking the slowest minute', () => {
    const busy = [
      minute(0, 300, 10),
      minute(1, 100, 30),
      ...Array.from({ length: 8 }, (_, k) => minute(k + 2, 200, 10)),
    ];
    // (300·10 + 100·30 + 1600·10) / 2000 = 11, where the slowest minute says 30.
    expect(p99(withFunctions(busy))).toBe(11);
  });

  it('judges the functions busy enough for a p99, not a quiet one whose p99 is its slowest call or two', () => {
    const busy = Array.from({ length: 10 }, (_, k) => minute(k, 200, 12));
    const quiet = Array.from({ length: 10 }, (_, k) => minute(k, 15, k === 3 ? 4000 : 900));
    expect(p99(withFunctions(busy, quiet))).toBe(12);
    // With no busy function, the quiet ones are all there is to judge.
    expect(p99(withFunctions(quiet))).toBeCloseTo((9 * 900 + 4000) / 10);
  });
});

describe('each function’s p99', () => {
  it('is kept per function beside the slowest busy one', () => {
    const sources = sourcesWith('2026-02-03T08:09:00Z', '2026-02-03T08:00:00Z');
    const fn = sources.metrics.data!.functions[0]!;
    const worker = {
      ...fn,
      functionName: 'worker',
      label: 'Worker',
      series: fn.series.map((p) => ({ ...p, invocations: 2, p99DurationMs: 850 })),
    };
    const both = { ...sources, metrics: state({ ...sources.metrics.data!, functions: [fn, worker] }) };
    const m = windowMetrics(both as OverviewSources, '2026-02-03T08:10:00Z', 10, null)!;
    expect(m.p99ByFunction).toEqual([
      { functionName: 'api', label: 'API', invocations: 100, p99Ms: 5 },
      { functionName: 'worker', label: 'Worker', invocations: 20, p99Ms: 850 },
    ]);
  });
});

describe('where the sources stand, on the deploy’s clock', () => {
  it('keeps the age of each source’s data when the deploy’s clock is ahead of the sources’ (sandbox time)', () => {
    // The sources stamp the wall clock; the scenario clock was moved 70 s ahead of it.
    const standings = sourceStandings(
      {
        metrics: {
          fetchedAt: '2026-12-06T08:00:00.000Z',
          error: { code: 'InternalFailure', message: 'boom', at: '2026-12-06T08:00:40.000Z' },
        },
        rds: { fetchedAt: null, error: null },
        logs: null,
      },
      '2026-02-03T07:01:10.000Z',
      '2026-12-06T08:00:40.000Z',
    );
    expect(standings).toEqual({
      metrics: { fetchedAt: '2026-02-03T07:00:30.000Z', error: { code: 'InternalFailure', message: 'boom' } },
      rds: { fetchedAt: null, error: null },
    });
  });
});
