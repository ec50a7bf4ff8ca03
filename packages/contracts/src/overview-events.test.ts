import { describe, expect, it } from 'vitest';
import type { FunctionMetrics, LogErrorLine, MetricPoint, Overview } from './overview.js';
import { applyOverviewEvent } from './overview-events.js';

const line = (eventId: string, timestamp: string): LogErrorLine => ({
  functionName: 'api',
  timestamp,
  message: `ERROR ${eventId}`,
  logStream: 's',
  eventId,
});
const empty = { data: null, fetchedAt: null, error: null, intervalMs: 5000 };
const overview: Overview = {
  environment: 'production',
  serverTime: '2026-02-03T07:00:00.000Z',
  sources: {
    alembic: empty,
    rds: { ...empty, fetchedAt: '2026-02-03T06:59:58.000Z' },
    metrics: empty,
    lambda: empty,
    logs: {
      data: {
        windowMinutes: 15,
        pattern: 'ERROR',
        lines: [line('b', '2026-02-03T06:59:00.000Z'), line('a', '2026-02-03T06:50:00.000Z')],
        schemaErrors: [],
        complete: true,
      },
      fetchedAt: '2026-02-03T06:59:59.000Z',
      error: null,
      intervalMs: 5000,
    },
  },
};

describe('applyOverviewEvent', () => {
  it('moves the metrics window on by the points dropped at its start and appended at its end', () => {
    const point = (minute: number, invocations: number): MetricPoint => ({
      t: `2026-02-03T06:${String(minute).padStart(2, '0')}:00.000Z`,
      invocations,
      errors: 0,
      p99DurationMs: null,
    });
    const figures = {
      functionName: 'api',
      label: 'API',
      errors: 0,
      errorRate: 0,
      p99DurationMs: 5,
      avgDurationMs: 2,
    };
    const before: FunctionMetrics = {
      ...figures,
      invocations: 6,
      series: [point(57, 1), point(58, 2), point(59, 3)],
    };
    const withMetrics: Overview = {
      ...overview,
      sources: {
        ...overview.sources,
        metrics: {
          data: { windowMinutes: 3, periodSeconds: 60, functions: [before] },
          fetchedAt: null,
          error: null,
          intervalMs: 15000,
        },
      },
    };
    const next = applyOverviewEvent(withMetrics, {
      event: 'metrics-points',
      data: {
        windowMinutes: 3,
        periodSeconds: 60,
        functions: [{ ...figures, invocations: 5, dropped: 1, kept: 2, appended: [point(0, 0)] }],
        fetchedAt: '2026-02-03T07:00:15.000Z',
        error: null,
        intervalMs: 15000,
        serverTime: '2026-02-03T07:00:15.000Z',
      },
    });
    expect(next.sources.metrics.data?.functions[0]).toEqual({
      ...figures,
      invocations: 5,
      series: [point(58, 2), point(59, 3), point(0, 0)],
    });
    expect(next.sources.metrics.fetchedAt).toBe('2026-02-03T07:00:15.000Z');
  });

  it('puts appended log lines in order and drops those that left the window', () => {
    const next = applyOverviewEvent(overview, {
      event: 'log-lines',
      data: {
        added: [line('c', '2026-02-03T07:00:01.000Z')],
        removed: ['a'],
        summary: { windowMinutes: 15, pattern: 'ERROR', schemaErrors: [], complete: true },
        fetchedAt: '2026-02-03T07:00:02.000Z',
        error: null,
        intervalMs: 5000,
        serverTime: '2026-02-03T07:00:02.000Z',
      },
    });
    expect(next.sources.logs.data?.lines.map((l) => l.eventId)).toEqual(['c', 'b']);
    expect(next.sources.logs.fetchedAt).toBe('2026-02-03T07:00:02.000Z');
  });

  it('moves only the fetch time on a freshness tick', () => {
    const next = applyOverviewEvent(overview, {
      event: 'fresh',
      data: { fetchedAt: { rds: '2026-02-03T07:00:04.000Z' }, serverTime: '2026-02-03T07:00:04.500Z' },
    });
    expect(next.sources.rds).toEqual({ ...overview.sources.rds, fetchedAt: '2026-02-03T07:00:04.000Z' });
    expect(next.sources.logs).toBe(overview.sources.logs);
    expect(next.serverTime).toBe('2026-02-03T07:00:04.500Z');
  });

  it('replaces one source’s state on a change, and everything on a snapshot', () => {
    const rds = {
      ...empty,
      error: { code: 'Throttling', message: 'slow down', at: '2026-02-03T07:00:05.000Z' },
    };
    const changed = applyOverviewEvent(overview, {
      event: 'source',
      data: { source: 'rds', state: rds, serverTime: '2026-02-03T07:00:05.000Z' },
    });
    expect(changed.sources.rds).toEqual(rds);
    expect(changed.sources.logs).toBe(overview.sources.logs);
    expect(applyOverviewEvent(changed, { event: 'snapshot', data: { overview } })).toBe(overview);
  });
});
