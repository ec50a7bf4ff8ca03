import type { DeployMarker } from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import type { FoundationTables } from '../../platform/store/foundation-tables.js';
import type { MarkerLog } from './deploy-markers.js';

/** Observed deploy markers in Flightdeck's store: seen against real AWS once, kept across restarts. */
export class StoreMarkerLog implements MarkerLog {
  constructor(private readonly db: Kysely<FoundationTables>) {}

  async recent(limit: number): Promise<DeployMarker[]> {
    const rows = await this.db
      .selectFrom('observed_markers')
      .select('marker')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.marker as DeployMarker).reverse();
  }

  async append(marker: DeployMarker): Promise<void> {
    await this.db
      .insertInto('observed_markers')
      .values({ at: marker.at, marker: JSON.stringify(marker) })
      .execute();
  }
}

/** Every replica sees the same changes; only the leader writes them down, so each is kept once. */
export function leaderWrites(log: MarkerLog, leading: () => boolean): MarkerLog {
  return {
    recent: (limit) => log.recent(limit),
    append: async (marker) => {
      if (leading()) await log.append(marker);
    },
  };
}
