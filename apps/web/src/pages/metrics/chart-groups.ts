import type {
  DeployMarker,
  FunctionMetricSeries,
  MarkerComparison,
  MetricMeasure,
  MetricsWindowData,
  PeriodSummary,
} from '@flightdeck/contracts';
import { countOf, formatCount, formatMs, formatPercent } from '../../format';

export interface ChartGroup {
  key: string;
  title: string;
  unit: MetricMeasure['unit'];
  measures: MetricMeasure[];
}

/**
 * Measures that belong on one axis: counts summed per period (invocations, errors, throttles),
 * durations, and other counts such as peak concurrency. Config decides the measures, this the charts.
 */
export function chartGroups(measures: MetricMeasure[]): ChartGroup[] {
  const groups: ChartGroup[] = [
    { key: 'totals', title: 'Per period', unit: 'count', measures: [] },
    { key: 'duration', title: 'Duration', unit: 'milliseconds', measures: [] },
    { key: 'levels', title: 'Peaks', unit: 'count', measures: [] },
  ];
  for (const m of measures) {
    if (m.unit === 'milliseconds') groups[1]!.measures.push(m);
    else if (m.stat === 'Sum' || m.stat === 'SampleCount') groups[0]!.measures.push(m);
    else groups[2]!.measures.push(m);
  }
  return groups.filter((g) => g.measures.length > 0);
}

export type ChartRow = { ts: number } & Record<string, number | null>;

/** The columnar series of one function as rows recharts can plot on a time axis. */
export function chartRows(data: MetricsWindowData, fn: FunctionMetricSeries): ChartRow[] {
  return data.timestamps.map((t, i) => {
    const row: ChartRow = { ts: Date.parse(t) };
    for (const m of data.measures) row[m.id] = fn.values[m.id]?.[i] ?? null;
    return row;
  });
}

export function formatMeasure(unit: MetricMeasure['unit'], value: number | null): string {
  if (value === null) return '—';
  return unit === 'milliseconds' ? formatMs(value) : formatCount(value);
}

const arrow = (before: string, after: string) => `${before} → ${after}`;

/** "p99 4.1 ms → 3.8 ms, errors 12 → 0 in the 10 minutes after" for one function around a marker. */
export function describeComparison(before: PeriodSummary, after: PeriodSummary, minutes: number): string {
  // "errors 56 → 0 in the 0 minutes after" would read as a fix that nothing has measured yet.
  if (after.minutes === 0) return 'waiting for the first whole minute after this deploy';
  const parts: string[] = [];
  if (before.p99DurationMs !== null || after.p99DurationMs !== null) {
    parts.push(`p99 ${arrow(formatMs(before.p99DurationMs), formatMs(after.p99DurationMs))}`);
  }
  if (before.errors !== null) {
    parts.push(`errors ${arrow(formatCount(before.errors), formatCount(after.errors ?? 0))}`);
  }
  if (before.errorRate !== null || after.errorRate !== null) {
    parts.push(`error rate ${arrow(formatPercent(before.errorRate), formatPercent(after.errorRate))}`);
  }
  const covered =
    after.minutes < minutes
      ? `in the ${countOf(after.minutes, 'minute')} after so far`
      : `in the ${countOf(minutes, 'minute')} after`;
  return parts.length ? `${parts.join(', ')} ${covered}` : `no data around this deploy`;
}

export const markerColors: Record<DeployMarker['kind'], string> = {
  'migration-applied': '#2b6cb0',
  'migration-reverted': '#c02828',
  'alias-changed': '#6b46c1',
  rollback: '#c05621',
  'snapshot-restore': '#2f855a',
  other: '#4a5568',
  'rollback-refused': '#975a16',
  'errors-started': '#e53e3e',
  'errors-stopped': '#38a169',
  'verdict-changed': '#1a202c',
  'sign-off': '#3182ce',
};

/** Each kind's shape on the chart, so kinds differ by more than colour. */
export const markerGlyphs: Record<DeployMarker['kind'], string> = {
  'migration-applied': '▼',
  'migration-reverted': '▲',
  'alias-changed': '◆',
  rollback: '↺',
  'snapshot-restore': '⟲',
  other: '•',
  'rollback-refused': '⊘',
  'errors-started': '!',
  'errors-stopped': '✓',
  'verdict-changed': '◎',
  'sign-off': '✎',
};

export const markerKindLabels: Record<DeployMarker['kind'], string> = {
  'migration-applied': 'migration applied',
  'migration-reverted': 'migration reverted',
  'alias-changed': 'alias changed',
  rollback: 'rollback',
  'snapshot-restore': 'snapshot restore',
  other: 'deploy event',
  'rollback-refused': 'rollback refused',
  'errors-started': 'errors started',
  'errors-stopped': 'errors stopped',
  'verdict-changed': 'verdict changed',
  'sign-off': 'sign-off',
};

export function comparisonFor(comparisons: MarkerComparison[], markerId: string) {
  return comparisons.find((c) => c.markerId === markerId);
}

/** Tick labels in UTC, like the rest of Flightdeck: times for short windows, dates for a week. */
export function timeTick(ts: number, windowSeconds: number): string {
  const iso = new Date(ts).toISOString();
  return windowSeconds > 24 * 3600 ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : iso.slice(11, 16);
}
