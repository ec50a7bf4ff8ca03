import {
  applyOverviewEvent,
  parseEventStream,
  type FunctionMetrics,
  type LambdaMetrics,
  type MetricPoint,
  type Overview,
  type OverviewEvent,
  type OverviewSources,
  type SourceName,
  type EventStreamMessage,
} from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { PublishedOverview } from './published-overview.js';
import type { SourceChangeListener, SourceHub } from './source-hub.js';

const messagesOf = (frames: string[]) => {
  const out: EventStreamMessage[] = [];
  parseEventStream(frames.join(''), (m) => out.push(m));
  return out;
};
const names: SourceName[] = ['alembic', 'rds', 'metrics', 'logs', 'lambda'];

/** Just what PublishedOverview reads of a hub: names, a snapshot and the change feed. */
function fakeHub() {
  const states = Object.fromEntries(
    names.map((n) => [n, { data: null, fetchedAt: null, error: null, intervalMs: 15_000 }]),
  ) as unknown as OverviewSources;
  let listener: SourceChangeListener = () => undefined;
  const hub = {
    names: () => names,
    snapshot: () => ({ ...states }),
    subscribe: (l: SourceChangeListener) => {
      listener = l;
      return () => undefined;
    },
  } as unknown as SourceHub;
  const publish = <K extends SourceName>(name: K, state: OverviewSources[K]) => {
    states[name] = state;
    listener(name, state);
  };
  return { hub, publish };
}

const point = (minute: number, invocations: number): MetricPoint => ({
  t: new Date(Date.UTC(2026, 1, 3, 7, minute)).toISOString(),
  invocations,
  errors: 0,
  p99DurationMs: invocations ? 12.5 : null,
});
const fn = (name: string, from: number, values: number[]): FunctionMetrics => ({
  functionName: name,
  label: name,
  invocations: values.reduce((a, b) => a + b, 0),
  errors: 0,
  errorRate: 0,
  p99DurationMs: 12.5,
  avgDurationMs: 3,
  series: values.map((v, i) => point(from + i, v)),
});
const metrics = (from: number, a: number[], b: number[]): OverviewSources['metrics'] => ({
  data: {
    windowMinutes: a.length,
    periodSeconds: 60,
    functions: [fn('api', from, a), fn('worker', from, b)],
  },
  fetchedAt: new Date(Date.UTC(2026, 1, 3, 7, from + a.length, 5)).toISOString(),
  error: null,
  intervalMs: 15_000,
});

describe('published overview: the metrics window moving on', () => {
  it('sends the new minute as metrics-points, and a client applying it gets the published overview', () => {
    const { hub, publish } = fakeHub();
    const published = new PublishedOverview(hub, 'production');
    const frames: string[] = [];
    published.onFrame((f) => frames.push(f));
    let overview = JSON.parse(published.current().json.toString()) as Overview;

    const values = Array.from({ length: 15 }, (_, i) => i * 10);
    publish('metrics', metrics(0, values, values));
    // A minute later: the first point left the window, a new one came, the last one was revised.
    const moved = [...values.slice(1, 14), 999, 7];
    publish('metrics', metrics(1, moved, moved));

    const events = messagesOf(frames);
    expect(events.map((e) => e.event)).toEqual(['source', 'metrics-points']);
    const [, points] = events;
    expect(points!.data.length).toBeLessThan(events[0]!.data.length / 3);
    const delta = JSON.parse(points!.data) as { functions: Array<{ dropped: number; kept: number }> };
    expect(delta.functions.map(({ dropped, kept }) => ({ dropped, kept }))).toEqual([
      { dropped: 1, kept: 13 },
      { dropped: 1, kept: 13 },
    ]);

    for (const e of events)
      overview = applyOverviewEvent(overview, { event: e.event, data: JSON.parse(e.data) } as OverviewEvent);
    const served = JSON.parse(published.current().json.toString()) as Overview;
    expect(overview.sources.metrics).toEqual(served.sources.metrics);
    expect((served.sources.metrics.data as LambdaMetrics).functions[0]!.series.at(-2)!.invocations).toBe(999);
    published.close();
  });

  it('sends the whole state when the functions are not the same ones', () => {
    const { hub, publish } = fakeHub();
    const published = new PublishedOverview(hub, 'production');
    const frames: string[] = [];
    published.onFrame((f) => frames.push(f));
    publish('metrics', metrics(0, [1, 2, 3], [4, 5, 6]));
    const other = metrics(1, [2, 3, 4], [5, 6, 7]);
    other.data!.functions[1]!.functionName = 'renamed';
    publish('metrics', other);
    expect(messagesOf(frames).map((e) => e.event)).toEqual(['source', 'source']);
    published.close();
  });
});

describe('the overview ETag', () => {
  it('names the content, so two replicas holding the same states answer the same ETag', () => {
    const a = fakeHub();
    const b = fakeHub();
    const state = { data: null, fetchedAt: '2026-02-03T07:00:00.000Z', error: null, intervalMs: 15_000 };
    a.publish('rds', state);
    b.publish('rds', state);
    const first = new PublishedOverview(a.hub, 'production');
    const second = new PublishedOverview(b.hub, 'production');
    expect(first.current().etag).toBe(second.current().etag);
    b.publish('rds', { ...state, fetchedAt: '2026-02-03T07:00:15.000Z' });
    expect(second.current().etag).not.toBe(first.current().etag);
  });
});
