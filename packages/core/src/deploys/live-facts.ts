import type { Deploy, MigrationHistoryData, OverviewSources, WatchMetrics } from '@flightdeck/contracts';
import type { LiveFacts } from './readiness-rules.js';

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
    perFunction.push({ invocations: fnInvocations, p99: weight > 0 ? weighted / weight : null });
  }
  return {
    invocations,
    errors,
    p99Ms: windowP99(perFunction),
    schemaErrors: schemaErrorsSince(sources, migratedAt) ?? 0,
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
    // Before the migration there is nothing to hold the logs to yet.
    schemaErrorsSinceMigration:
      (deploy.watchStartedAt ?? deploy.migratedAt)
        ? schemaErrorsSince(sources, (deploy.watchStartedAt ?? deploy.migratedAt)!)
        : null,
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
