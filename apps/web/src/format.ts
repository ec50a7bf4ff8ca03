/** "12 s", "4 min", "3 h", "2 d": the age of a value, as an on-call engineer reads it at a glance. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60 ? `${min % 60} min` : ''}`.trim();
  return `${Math.floor(h / 24)} d`;
}

export function formatPercent(rate: number | null): string {
  if (rate === null) return '—';
  if (rate === 0) return '0%';
  return rate < 0.001 ? '<0.1%' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US').format(Math.round(n));
}

export type Freshness = 'waiting' | 'fresh' | 'stale' | 'failing';

/** A value is stale once it missed two polls; failing when the latest refresh failed. */
export function freshnessOf(
  state: { fetchedAt: string | null; error: unknown; intervalMs: number },
  nowMs: number,
): Freshness {
  if (state.error) return 'failing';
  if (!state.fetchedAt) return 'waiting';
  return nowMs - Date.parse(state.fetchedAt) > state.intervalMs * 2 + 5_000 ? 'stale' : 'fresh';
}

/** "1 event", "3 events", "1 index" / "2 indexes": a count and its noun, singular only for exactly one. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
