// The audit log in Flightdeck's store: one INSERT per change, read newest first. No update or
// delete exists here, and the table's trigger refuses them anyway (migration 0001).
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditQuery } from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import type { FoundationTables } from '../store/foundation-tables.js';
import type { AuditLog, AuditRecord } from './audit-log.js';

/** The clocks a row is stamped with: the one people see, and the wall clock. */
export interface AuditClock {
  /** Scenario time in sandbox mode, wall time otherwise. */
  shown(): Date;
}

const wallClock: AuditClock = { shown: () => new Date() };

/**
 * The two times of a row: `at` on the shown clock (or the change's own time, when it gives one),
 * `wallAt` only when the wall clock differs from it (by 1 s or more).
 */
export function stampsOf(clock: AuditClock, at?: string): { at: string; wallAt: string | null } {
  const wall = Date.now();
  const shown = at ? Date.parse(at) : clock.shown().getTime();
  return {
    at: new Date(shown).toISOString(),
    wallAt: Math.abs(wall - shown) >= 1000 ? new Date(wall).toISOString() : null,
  };
}

/**
 * Appends one row through `db`, which may be a change's own transaction: then the row and the
 * change are committed, or rolled back, together.
 */
export async function insertAuditRow(
  db: Kysely<FoundationTables>,
  entry: AuditRecord,
  clock: AuditClock = wallClock,
): Promise<void> {
  const stamps =
    entry.wallAt !== undefined && entry.at
      ? { at: entry.at, wallAt: entry.wallAt }
      : stampsOf(clock, entry.at);
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: stamps.at,
      wall_at: stamps.wallAt,
      actor: entry.actor,
      role: entry.role,
      action: entry.action,
      summary: entry.summary ?? null,
      target: entry.target,
      parameters: JSON.stringify(entry.parameters ?? null),
      result: entry.result,
      correlation_id: entry.correlationId,
    })
    .execute();
}

export class StoreAuditLog implements AuditLog {
  constructor(
    private readonly db: Kysely<FoundationTables>,
    private readonly clock: AuditClock = wallClock,
  ) {}

  async record(entry: AuditRecord): Promise<void> {
    await insertAuditRow(this.db, entry, this.clock);
  }

  async list(filter: Omit<AuditQuery, 'format'>): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.action) {
      // The words or the method and route: "signed off", "rollbacks" and "POST" all find theirs.
      const pattern = `%${escapeLike(filter.action)}%`;
      query = query.where((eb) => eb.or([eb('action', 'ilike', pattern), eb('summary', 'ilike', pattern)]));
    }
    if (filter.since) query = query.where('at', '>=', new Date(filter.since));
    if (filter.until) query = query.where('at', '<=', new Date(filter.until));
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      wallAt: r.wall_at === null ? null : new Date(r.wall_at).toISOString(),
      actor: r.actor,
      role: r.role as AuditEntry['role'],
      summary: r.summary ?? r.action,
      action: r.action,
      target: r.target,
      parameters: r.parameters,
      result: r.result,
      correlationId: r.correlation_id,
    }));
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
