// The audit log as the routes see it: append and read, nothing else. There is deliberately
// no update or delete here (test: audit-trail.test.ts reads the source for one).
import type { AuditEntry, AuditQuery } from '@flightdeck/contracts';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at' | 'wallAt' | 'summary'> & {
  /** On the clock people see (the scenario's in sandbox mode); now on that clock when absent. */
  at?: string;
  /** The wall clock, when it differs from `at`. */
  wallAt?: string | null;
  /** In words; the action (method and route) stands in when absent. */
  summary?: string;
};

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  list(filter: Omit<AuditQuery, 'format'>): Promise<AuditEntry[]>;
}
