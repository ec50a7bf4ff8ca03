// What viewers have open on any replica (a metrics window, a log tail), so the leader serves it,
// and the tail lines the leader read, so followers' tails read them instead of CloudWatch.
import type { RawLogEvent } from '@flightdeck/core';
import { sql, type Kysely } from 'kysely';
import type { StoreTables } from '../store/store.js';

export type DemandKind = 'metrics' | 'tail';

export interface Demand {
  kind: DemandKind;
  key: string;
  params: unknown;
  lastWantedAt: Date;
}

export class LiveDemands {
  constructor(private readonly db: Kysely<StoreTables>) {}

  /** Records that a viewer here wants it now; true when nobody had asked for it before. */
  async want(kind: DemandKind, key: string, params: unknown): Promise<{ servedAt: Date | null }> {
    const row = await this.db
      .insertInto('live_demands')
      .values({ kind, key, params: JSON.stringify(params), last_wanted_at: new Date() })
      .onConflict((c) => c.columns(['kind', 'key']).doUpdateSet({ last_wanted_at: new Date() }))
      .returning(['served_at'])
      .executeTakeFirstOrThrow();
    return { servedAt: row.served_at };
  }

  async served(kind: DemandKind, key: string): Promise<void> {
    await this.db
      .updateTable('live_demands')
      .set({ served_at: new Date() })
      .where('kind', '=', kind)
      .where('key', '=', key)
      .execute();
  }

  /** Demands some viewer renewed within `withinMs`. */
  async fresh(withinMs: number): Promise<Demand[]> {
    const rows = await this.db
      .selectFrom('live_demands')
      .select(['kind', 'key', 'params', 'last_wanted_at'])
      .where('last_wanted_at', '>', new Date(Date.now() - withinMs))
      .execute();
    return rows.map((r) => ({
      kind: r.kind as DemandKind,
      key: r.key,
      params: r.params,
      lastWantedAt: r.last_wanted_at,
    }));
  }

  async storeLines(tailKey: string, events: RawLogEvent[]): Promise<void> {
    if (events.length === 0) return;
    const now = new Date();
    await this.db
      .insertInto('tail_lines')
      .values(
        events.map((e) => ({
          tail_key: tailKey,
          event_id: e.eventId,
          timestamp: e.timestamp,
          log_stream: e.logStream,
          message: e.message,
          stored_at: now,
        })),
      )
      .onConflict((c) => c.columns(['tail_key', 'event_id']).doNothing())
      .execute();
  }

  async readLines(
    tailKey: string,
    startTime: number,
    endTime: number,
    limit: number,
  ): Promise<RawLogEvent[]> {
    const rows = await this.db
      .selectFrom('tail_lines')
      .select(['event_id', 'timestamp', 'log_stream', 'message'])
      .where('tail_key', '=', tailKey)
      .where('timestamp', '>=', String(startTime))
      .where('timestamp', '<=', String(endTime))
      .orderBy('timestamp')
      .orderBy('event_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      timestamp: Number(r.timestamp),
      logStream: r.log_stream,
      message: r.message,
    }));
  }

  /** Forgets demands nobody renewed and lines older than any tail still reads. */
  async prune(olderThanMs: number): Promise<void> {
    const cutoff = new Date(Date.now() - olderThanMs);
    await this.db.deleteFrom('live_demands').where('last_wanted_at', '<', cutoff).execute();
    await sql`delete from tail_lines where stored_at < ${cutoff}`.execute(this.db);
  }
}
