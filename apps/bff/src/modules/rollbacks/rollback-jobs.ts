// Where rollback jobs live: a row with its plan and steps before anything acts. The
// repository, not the UI, keeps at most one active rollback per target.
import type { RollbackJob } from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import type { RollbackTables } from './store/rollback-tables.js';

/** Writes the change's audit row through the change's own transaction (platform/audit). */
export type WriteAudit = (tx: Kysely<RollbackTables>) => Promise<void>;

export interface StoredRollback {
  job: RollbackJob;
  /** The alias RevisionId the UpdateAlias must carry (lambda). */
  expectedRevisionId: string | null;
  idempotencyKey: string;
}

export type CreateOutcome =
  | { outcome: 'created'; stored: StoredRollback }
  /** The same rollback (same target, same desired state) is already active, or this key made it. */
  | { outcome: 'existing'; stored: StoredRollback }
  /** Another rollback of the same target, to something else, is active. */
  | { outcome: 'conflict'; stored: StoredRollback };

export interface RollbackRepository {
  /**
   * Atomically: the job for this key, or the active job of this target, or a new row; a new row
   * and its audit row (`audit`) in one transaction.
   */
  createUnlessActive(candidate: StoredRollback, audit?: WriteAudit): Promise<CreateOutcome>;
  get(id: string): Promise<StoredRollback | null>;
  /** Saves the job; with `audit`, the save and its audit row in one transaction. */
  save(stored: StoredRollback, audit?: WriteAudit): Promise<void>;
  unfinished(): Promise<StoredRollback[]>;
  /** The newest job of this deploy's target, whatever its state. */
  latestFor(deployId: string, kind: string, target: string): Promise<StoredRollback | null>;
  list(limit: number): Promise<StoredRollback[]>;
  /** Jobs whose change is made and whose verification waits for traffic. */
  verifying(): Promise<StoredRollback[]>;
  /** Saves a verifying job's verdict (succeeded or failed); false when it was no longer verifying. */
  finishVerification(stored: StoredRollback): Promise<boolean>;
}

export const isActive = (job: RollbackJob) => job.state === 'pending' || job.state === 'running';
export const targetKey = (job: RollbackJob) => `${job.kind}:${job.target}`;

/** One process's memory: for a single BFF without a shared store, and for tests. */
export class MemoryRollbackRepository implements RollbackRepository {
  private readonly rows = new Map<string, StoredRollback>();

  async createUnlessActive(candidate: StoredRollback): Promise<CreateOutcome> {
    const clone = (s: StoredRollback) => structuredClone(s);
    for (const row of this.rows.values()) {
      if (
        row.idempotencyKey === candidate.idempotencyKey &&
        row.job.requestedBy === candidate.job.requestedBy
      )
        return { outcome: 'existing', stored: clone(row) };
    }
    for (const row of this.rows.values()) {
      if (isActive(row.job) && targetKey(row.job) === targetKey(candidate.job)) {
        const same =
          row.job.plan.desired === candidate.job.plan.desired && row.job.deployId === candidate.job.deployId;
        return { outcome: same ? 'existing' : 'conflict', stored: clone(row) };
      }
    }
    this.rows.set(candidate.job.id, clone(candidate));
    return { outcome: 'created', stored: clone(candidate) };
  }

  async get(id: string) {
    const row = this.rows.get(id);
    return row ? structuredClone(row) : null;
  }

  async save(stored: StoredRollback) {
    this.rows.set(stored.job.id, structuredClone(stored));
  }

  async unfinished() {
    return [...this.rows.values()].filter((r) => isActive(r.job)).map((r) => structuredClone(r));
  }

  async latestFor(deployId: string, kind: string, target: string) {
    const rows = [...this.rows.values()].filter(
      (r) => r.job.deployId === deployId && r.job.kind === kind && r.job.target === target,
    );
    const newest = rows.at(-1);
    return newest ? structuredClone(newest) : null;
  }

  async verifying() {
    return [...this.rows.values()].filter((r) => r.job.state === 'verifying').map((r) => structuredClone(r));
  }

  async finishVerification(stored: StoredRollback) {
    if (this.rows.get(stored.job.id)?.job.state !== 'verifying') return false;
    this.rows.set(stored.job.id, structuredClone(stored));
    return true;
  }

  async list(limit: number) {
    return [...this.rows.values()]
      .sort((a, b) => b.job.requestedAt.localeCompare(a.job.requestedAt))
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }
}
