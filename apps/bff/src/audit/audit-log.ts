// The audit log as the routes see it: append and read, nothing else. There is deliberately
// no update or delete here (test: audit-trail.test.ts reads the source for one).
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditQuery } from '@flightdeck/contracts';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'> & { at?: string };

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  list(filter: Omit<AuditQuery, 'format'>): Promise<AuditEntry[]>;
}

export function matches(entry: AuditEntry, filter: Omit<AuditQuery, 'format'>): boolean {
  if (filter.actor && entry.actor !== filter.actor) return false;
  if (filter.action && !entry.action.toLowerCase().includes(filter.action.toLowerCase())) return false;
  if (filter.since && entry.at < new Date(filter.since).toISOString()) return false;
  if (filter.until && entry.at > new Date(filter.until).toISOString()) return false;
  return true;
}

/** One process's memory (a single BFF without a store, and tests). Newest first. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async record(entry: AuditRecord): Promise<void> {
    this.entries.push(
      Object.freeze({ ...entry, id: randomUUID(), at: entry.at ?? new Date().toISOString() }),
    );
  }

  async list(filter: Omit<AuditQuery, 'format'>): Promise<AuditEntry[]> {
    return this.entries
      .filter((e) => matches(e, filter))
      .reverse()
      .slice(0, filter.limit ?? 500);
  }
}
