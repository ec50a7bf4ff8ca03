import { sql, type Kysely } from 'kysely';

export const name = '0003_rollbacks';

// Kysely migrations take an untyped database: the schema they build is what later types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rollback_jobs')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deploy_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('expected_revision_id', 'text')
    .addColumn('job', 'jsonb', (c) => c.notNull())
    .execute();
  // At most one active rollback per target, enforced by the store across every BFF replica.
  await db.schema
    .createIndex('rollback_jobs_one_active_per_target')
    .ifNotExists()
    .on('rollback_jobs')
    .columns(['kind', 'target'])
    .unique()
    .where(sql.ref('state'), 'in', ['pending', 'running'])
    .execute();
  // A repeated Idempotency-Key names the job it made, even after a restart.
  await db.schema
    .createIndex('rollback_jobs_idempotency_key')
    .ifNotExists()
    .on('rollback_jobs')
    .columns(['requested_by', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('rollback_jobs_by_deploy_target')
    .ifNotExists()
    .on('rollback_jobs')
    .columns(['deploy_id', 'kind', 'target', 'requested_at'])
    .execute();
}
