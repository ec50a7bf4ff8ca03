// The audit log as the routes see it: append and read, nothing else. There is deliberately
// no update or delete here (test: audit-trail.test.ts reads the source for one).
import type { AuditEntry, AuditQuery } from '@flightdeck/contracts';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'> & { at?: string };

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  list(filter: Omit<AuditQuery, 'format'>): Promise<AuditEntry[]>;
}
