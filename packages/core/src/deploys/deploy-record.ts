// What happened during a release, read from the live data: error episodes (a function's error rate
// above zero and back) and alias moves. Pure: the deploy module writes what these find, each with a
// deterministic key, so every replica and every poll that sees the same thing finds the same event.
import type { MetricPoint } from '@flightdeck/contracts';

export interface ErrorEpisode {
  /** Start of the first whole minute with errors. */
  startedAt: string;
  /** Start of the first whole minute with traffic and no errors after it; null while it lasts. */
  endedAt: string | null;
  errors: number;
  invocations: number;
  /** Whole minutes with errors. */
  minutes: number;
}

/**
 * The error episodes of a per-minute series from `since` on: only whole minutes count (a minute
 * still running at `now` may still be filling), and an episode ends at the first whole minute that
 * has traffic and no errors. A minute without traffic neither starts nor ends one.
 */
export function errorEpisodes(series: MetricPoint[], since: string, now: string): ErrorEpisode[] {
  const sinceMs = Date.parse(since);
  const nowMs = Date.parse(now);
  const whole = [...series]
    .sort((a, b) => Date.parse(a.t) - Date.parse(b.t))
    .filter((p) => Date.parse(p.t) + 60_000 > sinceMs && Date.parse(p.t) + 60_000 <= nowMs);
  const episodes: ErrorEpisode[] = [];
  let open: ErrorEpisode | null = null;
  for (const p of whole) {
    if (p.errors > 0) {
      open ??= { startedAt: p.t, endedAt: null, errors: 0, invocations: 0, minutes: 0 };
      open.errors += p.errors;
      open.invocations += p.invocations;
      open.minutes += 1;
    } else if (open && p.invocations > 0) {
      episodes.push({ ...open, endedAt: p.t });
      open = null;
    } else if (open) open.invocations += p.invocations;
  }
  if (open) episodes.push(open);
  return episodes;
}

export const errorRateText = (errors: number, invocations: number) =>
  invocations === 0 ? 'no traffic' : `${((errors / invocations) * 100).toFixed(2)} %`;

/** What an error episode's events say, for the timeline, the charts and the report. */
export function describeEpisode(label: string, episode: ErrorEpisode): { started: string; stopped: string } {
  return {
    started: `${label}: errors started (${episode.startedAt.slice(11, 16)} UTC, error rate above zero)`,
    stopped: `${label}: errors stopped after ${episode.minutes} min — ${episode.errors} errors in ${episode.invocations} invocations (${errorRateText(episode.errors, episode.invocations)}); back to zero at ${(episode.endedAt ?? '').slice(11, 16)} UTC`,
  };
}

/** The kinds of deploy events that are also markers on the metrics charts, and the marker kind each is. */
export const recordMarkerKinds = {
  'rollback-started': 'rollback',
  'rollback-refused': 'rollback-refused',
  'rollback-verifying': 'rollback',
  'rollback-finished': 'rollback',
  'rollback-failed': 'rollback',
  'rollback-restored': 'snapshot-restore',
  'phase-rolled-back': 'rollback',
  'errors-started': 'errors-started',
  'errors-stopped': 'errors-stopped',
  'verdict-changed': 'verdict-changed',
  'alias-changed': 'alias-changed',
  'signed-off': 'sign-off',
  'sign-off-revoked': 'sign-off',
} as const;
export type RecordEventKind = keyof typeof recordMarkerKinds;
export const isRecordEvent = (kind: string): kind is RecordEventKind => kind in recordMarkerKinds;

/** The timeline's kinds in words, for the report's "What happened" and the web's timeline. */
export const recordKindWords: Record<RecordEventKind, string> = {
  'rollback-started': 'Rollback started',
  'rollback-refused': 'Rollback refused',
  'rollback-verifying': 'Rollback applied, verifying',
  'rollback-finished': 'Rollback finished',
  'rollback-failed': 'Rollback failed',
  'rollback-restored': 'Restore done, cut-over pending',
  'phase-rolled-back': 'Deploy rolled back',
  'errors-started': 'Errors started',
  'errors-stopped': 'Errors stopped',
  'verdict-changed': 'Verdict changed',
  'alias-changed': 'Alias changed',
  'signed-off': 'Signed off',
  'sign-off-revoked': 'Sign-off revoked',
};
