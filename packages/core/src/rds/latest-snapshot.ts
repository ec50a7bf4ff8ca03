import type { DbSnapshot } from '@flightdeck/contracts';

/** The newest snapshot by creation time; one still being created has no time yet and counts as newest. */
export function latestSnapshot(snapshots: DbSnapshot[]): DbSnapshot | null {
  let best: DbSnapshot | null = null;
  for (const s of snapshots) {
    if (!best) best = s;
    else if (s.createdAt === null) best = best.createdAt === null ? best : s;
    else if (best.createdAt !== null && s.createdAt > best.createdAt) best = s;
  }
  return best;
}
