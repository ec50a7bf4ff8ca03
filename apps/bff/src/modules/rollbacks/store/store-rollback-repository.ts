// Rollback jobs in Flightdeck's PostgreSQL store (PGlite or a real server). The unique
// indexes of 0003_rollbacks decide, atomically and across replicas, which request creates
// the job; every other request reads the row that won.
import type { Kysely } from 'kysely';
import type { RollbackJob } from '@flightdeck/contracts';
import type { RollbackTables } from './rollback-tables.js';
import type { CreateOutcome, RollbackRepository, StoredRollback, WriteAudit } from '../rollback-jobs.js';

type Row = {
  job: unknown;
  expected_revision_id: string | null;
  idempotency_key: string;
};

const fromRow = (row: Row): StoredRollback => ({
  job: (typeof row.job === 'string' ? JSON.parse(row.job) : row.job) as RollbackJob,
  expectedRevisionId: row.expected_revision_id,
  idempotencyKey: row.idempotency_key,
});

const columns = ['job', 'expected_revision_id', 'idempotency_key'] as const;

export class StoreRollbackRepository implements RollbackRepository {
  constructor(private readonly db: Kysely<RollbackTables>) {}

  async createUnlessActive(candidate: StoredRollback, audit?: WriteAudit): Promise<CreateOutcome> {
    const { job } = candidate;
    const inserted = await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('rollback_jobs')
        .values({
          id: job.id,
          deploy_id: job.deployId,
          kind: job.kind,
          target: job.target,
          state: job.state,
          requested_by: job.requestedBy,
          requested_at: job.requestedAt,
          idempotency_key: candidate.idempotencyKey,
          expected_revision_id: candidate.expectedRevisionId,
          job: JSON.stringify(job),
        })
        .onConflict((c) => c.doNothing())
        .returning(columns)
        .executeTakeFirst();
      // The job row and its audit row: one transaction.
      if (row) await audit?.(tx);
      return row;
    });
    if (inserted) return { outcome: 'created', stored: fromRow(inserted) };

    const sameKey = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .where('requested_by', '=', job.requestedBy)
      .where('idempotency_key', '=', candidate.idempotencyKey)
      .executeTakeFirst();
    if (sameKey) return { outcome: 'existing', stored: fromRow(sameKey) };
    const active = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .where('kind', '=', job.kind)
      .where('target', '=', job.target)
      .where('state', 'in', ['pending', 'running'])
      .executeTakeFirst();
    if (!active) {
      // The active job finished between our insert and this read: try again.
      return this.createUnlessActive(candidate, audit);
    }
    const stored = fromRow(active);
    const same = stored.job.plan.desired === job.plan.desired && stored.job.deployId === job.deployId;
    return { outcome: same ? 'existing' : 'conflict', stored };
  }

  async get(id: string) {
    const row = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async save(stored: StoredRollback, audit?: WriteAudit) {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('rollback_jobs')
        .set({ state: stored.job.state, job: JSON.stringify(stored.job) })
        .where('id', '=', stored.job.id)
        .execute();
      await audit?.(tx);
    });
  }

  async verifying() {
    const rows = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .where('state', '=', 'verifying')
      .orderBy('requested_at')
      .execute();
    return rows.map(fromRow);
  }

  /** Conditional on the row still verifying: one replica's verdict is the job's, once. */
  async finishVerification(stored: StoredRollback) {
    const updated = await this.db
      .updateTable('rollback_jobs')
      .set({ state: stored.job.state, job: JSON.stringify(stored.job) })
      .where('id', '=', stored.job.id)
      .where('state', '=', 'verifying')
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  async unfinished() {
    const rows = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .where('state', 'in', ['pending', 'running'])
      .orderBy('requested_at')
      .execute();
    return rows.map(fromRow);
  }

  async latestFor(deployId: string, kind: string, target: string) {
    const row = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .where('deploy_id', '=', deployId)
      .where('kind', '=', kind)
      .where('target', '=', target)
      .orderBy('requested_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async list(limit: number) {
    const rows = await this.db
      .selectFrom('rollback_jobs')
      .select(columns)
      .orderBy('requested_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }
}
