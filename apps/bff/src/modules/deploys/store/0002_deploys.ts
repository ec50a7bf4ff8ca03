import { sql, type Kysely } from 'kysely';

export const name = '0002_deploys';

// Kysely migrations take an untyped database: the schema they build is what later types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deploys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('prepared_by', 'text', (c) => c.notNull())
    .addColumn('prepared_at', 'timestamptz', (c) => c.notNull())
    .addColumn('baseline', 'jsonb', (c) => c.notNull())
    .addColumn('migrated_at', 'timestamptz')
    .addColumn('pending_at_prepare', 'jsonb', (c) => c.notNull())
    .addColumn('baseline_metrics', 'jsonb')
    .execute();
  // One active deploy per environment, enforced by the store rather than by the caller.
  await db.schema
    .createIndex('deploys_one_active_per_environment')
    .on('deploys')
    .column('environment')
    .unique()
    .where(sql.ref('phase'), 'not in', ['done', 'rolled-back'])
    .execute();
  await db.schema
    .createTable('deploy_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('deploy_id', 'text', (c) => c.notNull().references('deploys.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deploy_events_by_deploy')
    .on('deploy_events')
    .columns(['deploy_id', 'id'])
    .execute();
  await db.schema
    .createTable('deploy_evidence')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('deploy_id', 'text', (c) => c.notNull().references('deploys.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('passed', 'boolean', (c) => c.notNull())
    .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deploy_evidence_by_item')
    .on('deploy_evidence')
    .columns(['deploy_id', 'item_id', 'id'])
    .execute();
  await db.schema
    .createTable('deploy_sign_offs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('deploy_id', 'text', (c) => c.notNull().references('deploys.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('signed_by', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoke_reason', 'text')
    .execute();
  // At most one standing sign-off per item: a second sign-off waits for a revoke.
  await db.schema
    .createIndex('deploy_sign_offs_one_standing')
    .on('deploy_sign_offs')
    .columns(['deploy_id', 'item_id'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['deploy_sign_offs', 'deploy_evidence', 'deploy_events', 'deploys'])
    await db.schema.dropTable(table).execute();
}
