// The audit log in Flightdeck's store: one INSERT per change, read newest first. No update or
// delete exists here, and the table's trigger refuses them anyway (migration 0001).
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditQuery } from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import type { FoundationTables } from '../store/foundation-tables.js';
import type { AuditLog, AuditRecord } from './audit-log.js';

export class StoreAuditLog implements AuditLog {
  constructor(private readonly db: Kysely<FoundationTables>) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        at: entry.at ?? new Date().toISOString(),
        actor: entry.actor,
        role: entry.role,
        action: entry.action,
        target: entry.target,
        parameters: JSON.stringify(entry.parameters ?? null),
        result: entry.result,
        correlation_id: entry.correlationId,
      })
      .execute();
  }

  async list(filter: Omit<AuditQuery, 'format'>): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.action) query = query.where('action', 'ilike', `%${escapeLike(filter.action)}%`);
    if (filter.since) query = query.where('at', '>=', new Date(filter.since));
    if (filter.until) query = query.where('at', '<=', new Date(filter.until));
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      role: r.role as AuditEntry['role'],
      action: r.action,
      target: r.target,
      parameters: r.parameters,
      result: r.result,
      correlationId: r.correlation_id,
    }));
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
