import type {
  Deploy,
  FunctionP99,
  MigrationHistoryData,
  OverviewSources,
  SourceError,
  WatchMetrics,
} from '@flightdeck/contracts';
import type { FactSource, FactSourceState, LiveFacts } from './readiness-rules.js';

export interface HealthReading {
  url: string;
  status: number | null;
  error: string | null;
}

/**
 * Up to when the metrics source's data runs: the end of the newest period it holds, on the source's
 * clock. Null without data. Data fetched before a moment says nothing about that moment.
 */
export function metricsAsOf(sources: OverviewSources): string | null {
  const metrics = sources.metrics.data;
  if (!metrics) return null;
  const newest = Math.max(...metrics.functions.flatMap((fn) => fn.series.map((p) => Date.parse(p.t))));
  return Number.isFinite(newest) ? new Date(newest + metrics.periodSeconds * 1000).toISOString() : null;
}

/** Lambda figures over the last `minutes` (summed across functions), from the metrics source's series. */
export function windowMetrics(
  sources: OverviewSources,
  now: string,
  minutes: number,
  migratedAt: string | null,
): WatchMetrics | null {
  const metrics = sources.metrics.data;
  if (!metrics) return null;
  // The window ends at the newest point the source holds: its clock, not ours, says what "last" means.
  const asOf = metricsAsOf(sources);
  const end = asOf ? Math.min(Date.parse(asOf), Date.parse(now)) : Date.parse(now);
  const from = end - minutes * 60_000;
  let invocations = 0;
  let errors = 0;
  const perFunction: Array<{ invocations: number; p99: number | null }> = [];
  const p99ByFunction: FunctionP99[] = [];
  for (const fn of metrics.functions) {
    let weighted = 0;
    let weight = 0;
    let fnInvocations = 0;
    for (const point of fn.series) {
      if (Date.parse(point.t) < from) continue;
      invocations += point.invocations;
      errors += point.errors;
      fnInvocations += point.invocations;
      if (point.p99DurationMs !== null && point.invocations > 0) {
        weighted += point.p99DurationMs * point.invocations;
        weight += point.invocations;
      }
    }
    const p99 = weight > 0 ? weighted / weight : null;
    perFunction.push({ invocations: fnInvocations, p99 });
    p99ByFunction.push({
      functionName: fn.functionName,
      label: fn.label,
      invocations: fnInvocations,
      p99Ms: p99,
    });
  }
  return {
    invocations,
    errors,
    p99Ms: windowP99(perFunction),
    schemaErrors: schemaErrorsSince(sources, migratedAt) ?? 0,
    p99ByFunction,
  };
}

/** Below this many invocations in a window, a function's p99 is its slowest one or two calls: noise. */
export const minInvocationsForP99 = 1000;

/**
 * The window's p99: per function, the per-minute p99s weighted by each minute's invocations (the
 * maximum of per-minute p99s swings by half from one quiet window to the next); then the slowest
 * function among those busy enough for a p99 to mean something, or among all when none is.
 */
function windowP99(functions: Array<{ invocations: number; p99: number | null }>): number | null {
  const measured = functions.filter((f) => f.p99 !== null);
  const busy = measured.filter((f) => f.invocations >= minInvocationsForP99);
  const judged = busy.length > 0 ? busy : measured;
  return judged.length > 0 ? Math.max(...judged.map((f) => f.p99!)) : null;
}

/** Schema errors the logs source counted whose latest line is after the migration (all of them before it). */
function schemaErrorsSince(sources: OverviewSources, since: string | null): number | null {
  const logs = sources.logs.data;
  if (!logs) return null;
  return logs.schemaErrors
    .filter((s) => since === null || (s.lastSeen !== null && Date.parse(s.lastSeen) >= Date.parse(since)))
    .reduce((n, s) => n + s.count, 0);
}

/** A source's state as the facts carry it: where it stands, without its data. */
interface SourceStanding {
  fetchedAt: string | null;
  error: SourceError | null;
}

/**
 * The sources' fetch times carried onto the deploy's clock: `sourcesNow` is the sources' own clock
 * now (the wall clock the collectors stamp with), `now` the deploy's (the scenario's in sandbox
 * mode); the age of the data is kept, so data fetched 40 s ago reads as 40 s before `now`.
 */
export function sourceStandings(
  states: Partial<Record<FactSource, SourceStanding | null>>,
  now: string,
  sourcesNow: string = now,
): Partial<Record<FactSource, FactSourceState>> {
  const offset = Date.parse(now) - Date.parse(sourcesNow);
  const out: Partial<Record<FactSource, FactSourceState>> = {};
  for (const [name, state] of Object.entries(states) as Array<[FactSource, SourceStanding | null]>) {
    if (!state) continue;
    out[name] = {
      fetchedAt:
        state.fetchedAt === null
          ? null
          : new Date(Math.min(Date.parse(state.fetchedAt) + offset, Date.parse(now))).toISOString(),
      error: state.error ? { code: state.error.code, message: state.error.message } : null,
    };
  }
  return out;
}

/** Schema errors counted from the migration on, across the logs panel's windows (a running count). */
export interface SchemaErrorCountSince {
  count: number;
  /** When counting started: the migration (or the release, for one without migrations). */
  since: string;
  /** Up to when the log reads are counted, on the deploy's clock. */
  countedTo: string;
  /** The latest log read's error, when it failed: the count stands as of `countedTo`. */
  error: SourceError | null;
}

/** What the live sources say about a deploy, in the shape the readiness rules read. */
export function liveFacts(input: {
  deploy: Deploy;
  sources: OverviewSources;
  history: MigrationHistoryData | null;
  health: HealthReading[];
  now: string;
  errorWindowMinutes: number;
  /** Other error windows checklist items ask for, in minutes. */
  extraWindowMinutes?: number[];
  /** The sources' clock now, when it is not the deploy's (sandbox mode): their data's ages carry over. */
  sourcesNow?: string;
  /** The migration history source's standing (the schema drift item reads it). */
  historyState?: SourceStanding | null;
  /** The running count of schema errors since the migration; without it, the logs panel's window is read. */
  schemaErrorCount?: SchemaErrorCountSince | null;
}): LiveFacts {
  const { deploy, sources, now } = input;
  const rds = sources.rds.data;
  const wanted = deploy.baseline.snapshot?.identifier;
  // Without a snapshot of its own the deploy is judged on the latest manual one (the story's is months old).
  const latest = rds?.latestManualSnapshot ?? null;
  const snapshot: LiveFacts['snapshot'] = !rds
    ? null
    : latest && (!wanted || latest.id === wanted)
      ? {
          identifier: latest.id,
          status: latest.status,
          percentProgress: latest.progressPercent,
          createdAt: latest.createdAt,
        }
      : wanted
        ? {
            identifier: wanted,
            status: `not found (latest manual snapshot: ${latest?.id ?? 'none'})`,
            percentProgress: null,
            createdAt: null,
          }
        : null;
  const alembic = sources.alembic.data;
  const drift = input.history?.report.drift;
  const window = windowMetrics(sources, now, input.errorWindowMinutes, deploy.migratedAt);
  const errorWindows: NonNullable<LiveFacts['errorWindows']> = {};
  for (const minutes of input.extraWindowMinutes ?? []) {
    const w = windowMetrics(sources, now, minutes, deploy.migratedAt);
    if (w) errorWindows[minutes] = { invocations: w.invocations, errors: w.errors, minutes };
  }
  const lambda = sources.lambda.data;
  return {
    now,
    snapshot,
    alembic: alembic ? { current: alembic.current, heads: alembic.heads, pending: alembic.pending } : null,
    targetRevision: deploy.targetRevision ?? deploy.baseline.codeHead,
    errorWindows,
    driftCount:
      drift === undefined
        ? null
        : drift === null
          ? 0
          : drift.missingTables.length + drift.missingColumns.length,
    errorWindow: window
      ? { invocations: window.invocations, errors: window.errors, minutes: input.errorWindowMinutes }
      : null,
    p99Ms: window?.p99Ms ?? null,
    p99ByFunction: window?.p99ByFunction ?? null,
    // Before the migration there is nothing to hold the logs to yet.
    schemaErrorsSinceMigration: input.schemaErrorCount
      ? input.schemaErrorCount.count
      : (deploy.watchStartedAt ?? deploy.migratedAt)
        ? schemaErrorsSince(sources, (deploy.watchStartedAt ?? deploy.migratedAt)!)
        : null,
    schemaErrorsCountedFrom: input.schemaErrorCount?.since ?? null,
    schemaErrorsCountedFromWhat: deploy.migratedAt ? 'the migration' : 'the release',
    p99Unavailable:
      sources.metrics.data?.functions.map((f) => f.unavailable?.p99DurationMs?.reason).find(Boolean) ?? null,
    sources: {
      ...sourceStandings(
        {
          alembic: sources.alembic,
          rds: sources.rds,
          metrics: sources.metrics,
          logs: sources.logs,
          lambda: sources.lambda,
          history: input.historyState ?? null,
        },
        now,
        input.sourcesNow,
      ),
      // The running count's own log reads, on the deploy's clock already; else the logs panel's.
      ...(input.schemaErrorCount
        ? {
            'schema-errors': {
              fetchedAt: input.schemaErrorCount.countedTo,
              error: input.schemaErrorCount.error
                ? { code: input.schemaErrorCount.error.code, message: input.schemaErrorCount.error.message }
                : null,
            },
          }
        : {}),
    },
    health: input.health,
    aliases: lambda
      ? lambda.functions.map((f) => ({
          functionName: f.functionName,
          alias: f.alias,
          version: f.aliasVersion ?? '$LATEST',
          rollbackTarget: f.previousPublishedVersion,
        }))
      : null,
  };
}
