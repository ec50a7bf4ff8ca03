import type { MarkerComparison, MetricsWindowData, PeriodSummary } from '@flightdeck/contracts';
import { findMeasure } from './metrics-window.js';

function summarize(
  data: MetricsWindowData,
  fn: MetricsWindowData['functions'][number],
  from: number,
  to: number,
): PeriodSummary {
  const pick = (metric: string, stat: string) => {
    const measure = findMeasure(data.measures, metric, stat);
    return measure ? (fn.values[measure.id] ?? null) : null;
  };
  const inv = pick('Invocations', 'Sum');
  const err = pick('Errors', 'Sum');
  const avg = pick('Duration', 'Average');
  const p99 = pick('Duration', 'p99');
  const bins = Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
  const sum = (row: (number | null)[] | null) =>
    row ? bins.reduce((acc, i) => acc + (row[i] ?? 0), 0) : null;
  const invocations = sum(inv);
  const errors = sum(err);

  let avgDurationMs: number | null = null;
  if (avg) {
    // Weighted by invocations: each period's average covers that many calls.
    let weight = 0;
    let total = 0;
    for (const i of bins) {
      const a = avg[i];
      if (a === null || a === undefined) continue;
      const w = inv ? (inv[i] ?? 0) : 1;
      weight += w;
      total += a * w;
    }
    avgDurationMs = weight > 0 ? Math.round((total / weight) * 100) / 100 : null;
  }
  const p99s = p99 ? bins.map((i) => p99[i]).filter((v): v is number => typeof v === 'number') : [];
  return {
    minutes: (bins.length * data.periodSeconds) / 60,
    invocations,
    errors,
    errorRate: invocations && errors !== null ? errors / invocations : null,
    avgDurationMs,
    p99DurationMs: p99s.length ? Math.max(...p99s) : null,
  };
}

/**
 * Each function's figures over `minutes` before and after a deploy marker, read from the window's
 * series: "p99 4.1 ms → 3.8 ms, errors 12 → 0". The period holding the marker is left out of both
 * sides (it mixes before and after); on a coarse window the sides grow to whole periods. A marker
 * about one function compares that function only. Null when the marker is outside the window.
 */
export function compareAroundMarker(
  data: MetricsWindowData,
  marker: { id: string; at: string; functionName?: string | null },
  minutes: number,
): MarkerComparison | null {
  const periodMs = data.periodSeconds * 1000;
  const start = Date.parse(data.start);
  const at = Date.parse(marker.at);
  const bins = data.timestamps.length;
  const markerBin = Math.floor((at - start) / periodMs);
  if (markerBin < 0 || markerBin >= bins) return null;
  const k = Math.max(1, Math.ceil((minutes * 60) / data.periodSeconds));
  return {
    markerId: marker.id,
    minutes: (k * data.periodSeconds) / 60,
    functions: data.functions
      .filter((fn) => !marker.functionName || fn.functionName === marker.functionName)
      .map((fn) => ({
        functionName: fn.functionName,
        label: fn.label,
        before: summarize(data, fn, Math.max(0, markerBin - k), markerBin - 1),
        after: summarize(data, fn, markerBin + 1, Math.min(bins - 1, markerBin + k)),
      })),
  };
}
