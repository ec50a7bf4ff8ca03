import type { WatchMetrics } from '@flightdeck/contracts';

export interface WatchTolerance {
  p99TolerancePercent: number;
}

export interface CheckpointComparison {
  regressed: boolean;
  /** What moved, one line each: empty when nothing did. */
  changes: string[];
  errorRatePercent: number;
  baselineErrorRatePercent: number;
}

const errorRate = (m: WatchMetrics) => (m.invocations === 0 ? 0 : (m.errors / m.invocations) * 100);

/** Compares a checkpoint against the baseline; a regression says what moved. */
export function compareCheckpoint(
  baseline: WatchMetrics,
  checkpoint: WatchMetrics,
  tolerance: WatchTolerance,
): CheckpointComparison {
  const changes: string[] = [];
  const before = errorRate(baseline);
  const after = errorRate(checkpoint);
  if (checkpoint.errors > 0 && after > before)
    changes.push(`error rate ${before.toFixed(2)} % → ${after.toFixed(2)} % (${checkpoint.errors} errors)`);
  const limitOf = (p99: number) => p99 * (1 + tolerance.p99TolerancePercent / 100);
  if (baseline.p99ByFunction && baseline.p99ByFunction.length > 0 && checkpoint.p99ByFunction) {
    // Each function against its own baseline: a slow worker does not hide a fast API, nor the reverse.
    const before = new Map(baseline.p99ByFunction.map((f) => [f.functionName, f.p99Ms]));
    for (const fn of checkpoint.p99ByFunction) {
      const base = before.get(fn.functionName) ?? null;
      if (base !== null && fn.p99Ms !== null && fn.p99Ms > limitOf(base))
        changes.push(
          `${fn.label}: p99 ${base.toFixed(1)} ms → ${fn.p99Ms.toFixed(1)} ms (over ${tolerance.p99TolerancePercent} %)`,
        );
    }
  } else if (baseline.p99Ms !== null && checkpoint.p99Ms !== null) {
    if (checkpoint.p99Ms > limitOf(baseline.p99Ms))
      changes.push(
        `p99 ${baseline.p99Ms.toFixed(1)} ms → ${checkpoint.p99Ms.toFixed(1)} ms (over ${tolerance.p99TolerancePercent} %)`,
      );
  }
  if (checkpoint.schemaErrors > 0) changes.push(`${checkpoint.schemaErrors} schema errors in the logs`);
  return {
    regressed: changes.length > 0,
    changes,
    errorRatePercent: after,
    baselineErrorRatePercent: before,
  };
}

/** The checkpoints (hours after the migration) that are due and not recorded yet. */
export function dueCheckpoints(
  migratedAt: string,
  now: string,
  checkpointHours: number[],
  recordedHours: number[],
): number[] {
  const elapsedHours = (Date.parse(now) - Date.parse(migratedAt)) / 3_600_000;
  return checkpointHours.filter((h) => h <= elapsedHours && !recordedHours.includes(h)).sort((a, b) => a - b);
}
