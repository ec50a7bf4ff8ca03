// The leader's polled states in the store: written only under the leader's fencing epoch,
// announced by name (NOTIFY carries at most 8,000 bytes, so names, never states).
import { sql, type Kysely } from 'kysely';
import type { Leadership } from '../leadership/leader-election.js';
import type { StoreTables } from '../store/store.js';

export const sourcesChannel = 'flightdeck_sources';

export interface PublishedState {
  name: string;
  version: string;
  state: unknown;
}

export class PublishedStates {
  constructor(
    private readonly db: Kysely<StoreTables>,
    private readonly leadership: Leadership,
  ) {}

  /**
   * Writes the state if our epoch is still the lease's (the lease row is share-locked meanwhile, so
   * a new leader's increment waits for this write, or this write sees the new epoch and does nothing).
   * Returns false when fenced off; the leadership is then told, and stops this replica's collectors.
   */
  async publish(name: string, state: unknown): Promise<boolean> {
    const epoch = this.leadership.epoch;
    if (!this.leadership.leading || epoch === null) return false;
    const written = await sql<{ version: string }>`
      with lease as (select epoch from leader_lease where id = 1 and epoch = ${epoch} for share)
      insert into source_states (name, epoch, version, state, updated_at)
      select ${name}, lease.epoch, 1, ${JSON.stringify(state)}::jsonb, now() from lease
      on conflict (name) do update set epoch = excluded.epoch, version = source_states.version + 1,
        state = excluded.state, updated_at = excluded.updated_at
      returning version`.execute(this.db);
    if (written.rows.length === 0) {
      this.leadership.fenced();
      return false;
    }
    await sql`select pg_notify(${sourcesChannel}, ${name})`.execute(this.db);
    return true;
  }

  async read(name: string): Promise<PublishedState | null> {
    const row = await this.db
      .selectFrom('source_states')
      .select(['name', 'version', 'state'])
      .where('name', '=', name)
      .executeTakeFirst();
    return row ?? null;
  }

  async readAll(): Promise<PublishedState[]> {
    return this.db.selectFrom('source_states').select(['name', 'version', 'state']).execute();
  }
}
