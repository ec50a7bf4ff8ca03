import type { MetricsWindowData } from '@flightdeck/contracts';
import { chartIndexes } from './downsample.js';

/**
 * A window as a chart can draw it: a week at 1-minute periods is 10,080 points per line, far more
 * than a chart has pixels. Keeps the periods that carry every series' shape and extremes
 * (see chartIndexes); totals and error rate stay those of the whole window.
 */
export function downsampleMetricsWindow(data: MetricsWindowData, maxPoints: number): MetricsWindowData {
  if (data.timestamps.length <= maxPoints) return data;
  const series = data.functions.flatMap((fn) => data.measures.map((m) => fn.values[m.id] ?? []));
  const kept = chartIndexes(series, maxPoints);
  const pick = <T>(values: readonly T[]) => kept.map((i) => values[i]!);
  return {
    ...data,
    timestamps: pick(data.timestamps),
    functions: data.functions.map((fn) => ({
      ...fn,
      values: Object.fromEntries(Object.entries(fn.values).map(([id, values]) => [id, pick(values)])),
      errorRates: pick(fn.errorRates),
    })),
    downsampledFrom: data.timestamps.length,
  };
}
