/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): keeps `threshold` points of a series, one per
 * bucket, each the one that makes the largest triangle with its neighbours — the points that give
 * the line its shape. Gaps (null) are skipped here; `chartIndexes` keeps their edges.
 * Returns indexes into `values`, ascending.
 */
export function lttbIndexes(values: readonly (number | null)[], threshold: number): number[] {
  const present: number[] = [];
  values.forEach((v, i) => {
    if (v !== null) present.push(i);
  });
  if (threshold >= present.length || threshold < 3) {
    return threshold < 3 ? present.slice(0, Math.max(0, threshold)) : present;
  }
  const y = (k: number) => values[present[k]!]!;
  const x = (k: number) => present[k]!;
  const kept = [present[0]!];
  const bucketSize = (present.length - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // The average of the next bucket stands in for the point that will follow.
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, present.length);
    let avgX = 0;
    let avgY = 0;
    for (let k = nextStart; k < nextEnd; k++) {
      avgX += x(k);
      avgY += y(k);
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    let best = start;
    let bestArea = -1;
    for (let k = start; k < end; k++) {
      const area = Math.abs((x(a) - avgX) * (y(k) - y(a)) - (x(a) - x(k)) * (avgY - y(a)));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    kept.push(present[best]!);
    a = best;
  }
  kept.push(present[present.length - 1]!);
  return kept;
}

/** Where a series reaches its true minimum and maximum (first occurrence); empty when all null. */
export function extremeIndexes(values: readonly (number | null)[]): number[] {
  let min = -1;
  let max = -1;
  values.forEach((v, i) => {
    if (v === null) return;
    if (min < 0 || v < values[min]!) min = i;
    if (max < 0 || v > values[max]!) max = i;
  });
  return min < 0 ? [] : [...new Set([min, max])];
}

/** The first and last point of every run of nulls: a gap must stay a gap on the chart. */
function gapEdges(values: readonly (number | null)[]): number[] {
  const edges: number[] = [];
  values.forEach((v, i) => {
    if (v !== null) return;
    if (i === 0 || values[i - 1] !== null) edges.push(i);
    if (i === values.length - 1 || values[i + 1] !== null) edges.push(i);
  });
  return edges;
}

/**
 * Points of several series that share one time axis, for a chart about `maxPoints` wide: the union
 * of each series' LTTB points, true extremes and gap edges, with LTTB's share per series lowered
 * until the union fits. Every series keeps its own min and max, so a spike never disappears.
 */
export function chartIndexes(series: readonly (readonly (number | null)[])[], maxPoints: number): number[] {
  const length = series[0]?.length ?? 0;
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const always = new Set<number>([0, length - 1]);
  for (const values of series) {
    for (const i of extremeIndexes(values)) always.add(i);
    for (const i of gapEdges(values)) always.add(i);
  }
  let perSeries = maxPoints;
  let union = new Set(always);
  for (;;) {
    union = new Set(always);
    for (const values of series) for (const i of lttbIndexes(values, perSeries)) union.add(i);
    // A union that overshoots shrinks each series' share; it never goes below a 3-point line.
    if (union.size <= maxPoints || perSeries <= 3) break;
    perSeries = Math.max(3, Math.floor(perSeries * (maxPoints / union.size) * 0.9));
  }
  return [...union].sort((a, b) => a - b);
}
