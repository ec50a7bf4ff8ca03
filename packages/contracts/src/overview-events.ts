import type {
  FunctionMetrics,
  LambdaMetrics,
  LogErrorLine,
  MetricPoint,
  Overview,
  RecentLogErrors,
  SourceName,
} from './overview.js';
import type { SourceError } from './source-state.js';

/**
 * The messages of /api/v1/events. Only `snapshot`, `source`, `log-lines` and `metrics-points`
 * carry an id (the
 * change log a reconnecting client resumes from with Last-Event-ID); `fresh` is a tick.
 */
export interface OverviewSnapshotEvent {
  overview: Overview;
}

/** A source whose data or error changed: its whole state. */
export interface SourceChangedEvent<K extends SourceName = SourceName> {
  source: K;
  state: Overview['sources'][K];
  serverTime: string;
}

/** The latest-errors panel changed: the lines that appeared and the ids of those that left the window. */
export interface LogLinesEvent {
  added: LogErrorLine[];
  removed: string[];
  summary: Omit<RecentLogErrors, 'lines'>;
  fetchedAt: string | null;
  error: SourceError | null;
  intervalMs: number;
  serverTime: string;
}

/**
 * The metrics window moved on (each minute, even with no traffic): per function its headline
 * figures, and its series as `kept` points of the previous one from index `dropped`, then the
 * `appended` points — a minute's point instead of the whole 15-minute series again.
 */
export interface MetricsPointsEvent {
  windowMinutes: LambdaMetrics['windowMinutes'];
  periodSeconds: LambdaMetrics['periodSeconds'];
  functions: Array<
    Omit<FunctionMetrics, 'series'> & { dropped: number; kept: number; appended: MetricPoint[] }
  >;
  fetchedAt: string | null;
  error: SourceError | null;
  intervalMs: number;
  serverTime: string;
}

/** Sources polled again with the same answer: only their new fetch time, batched. */
export interface FreshnessEvent {
  fetchedAt: Partial<Record<SourceName, string>>;
  serverTime: string;
}

export type OverviewEvent =
  | { event: 'snapshot'; data: OverviewSnapshotEvent }
  | { event: 'source'; data: SourceChangedEvent }
  | { event: 'log-lines'; data: LogLinesEvent }
  | { event: 'metrics-points'; data: MetricsPointsEvent }
  | { event: 'fresh'; data: FreshnessEvent };

/** Newest first, as the latest-errors panel lists them (ties by id, so both ends agree). */
export function compareLogLines(a: LogErrorLine, b: LogErrorLine): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** The overview after one event; the SPA's cache and the BFF's tests apply the same rules. */
export function applyOverviewEvent(overview: Overview, message: OverviewEvent): Overview {
  switch (message.event) {
    case 'snapshot':
      return message.data.overview;
    case 'source':
      return {
        ...overview,
        serverTime: message.data.serverTime,
        sources: { ...overview.sources, [message.data.source]: message.data.state },
      };
    case 'log-lines': {
      const { added, removed, summary, fetchedAt, error, intervalMs, serverTime } = message.data;
      const gone = new Set(removed);
      const kept = (overview.sources.logs.data?.lines ?? []).filter((l) => !gone.has(l.eventId));
      const lines = [...added, ...kept].sort(compareLogLines);
      return {
        ...overview,
        serverTime,
        sources: { ...overview.sources, logs: { data: { ...summary, lines }, fetchedAt, error, intervalMs } },
      };
    }
    case 'metrics-points': {
      const { windowMinutes, periodSeconds, functions, fetchedAt, error, intervalMs, serverTime } =
        message.data;
      const previous = overview.sources.metrics.data?.functions ?? [];
      const data: LambdaMetrics = {
        windowMinutes,
        periodSeconds,
        functions: functions.map(({ dropped, kept, appended, ...figures }, i) => {
          const before = previous.find((f) => f.functionName === figures.functionName) ?? previous[i];
          const series = [...(before?.series.slice(dropped, dropped + kept) ?? []), ...appended];
          return { ...figures, series };
        }),
      };
      return {
        ...overview,
        serverTime,
        sources: { ...overview.sources, metrics: { data, fetchedAt, error, intervalMs } },
      };
    }
    case 'fresh': {
      const sources = { ...overview.sources };
      for (const [name, at] of Object.entries(message.data.fetchedAt) as [SourceName, string][]) {
        sources[name] = { ...sources[name], fetchedAt: at } as never;
      }
      return { ...overview, serverTime: message.data.serverTime, sources };
    }
  }
}
