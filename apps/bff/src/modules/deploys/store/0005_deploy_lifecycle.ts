import { sql, type Kysely } from 'kysely';

export const name = '0005_deploy_lifecycle';

// A deploy's whole life: what is released, the checklist it was prepared with, when the migration
// started and the release went out, when the watch counts from, how it ended. Deploys stored before
// keep opening: their new columns are null (the story's checklist, the code's head as the target).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deploys')
    .addColumn('release', 'jsonb')
    .addColumn('checklist', 'jsonb')
    .addColumn('target_revision', 'text')
    .addColumn('migration_started_at', 'timestamptz')
    .addColumn('released_at', 'timestamptz')
    .addColumn('watch_started_at', 'timestamptz')
    .addColumn('ending', 'jsonb')
    .execute();
  await sql`update deploys set target_revision = baseline->>'codeHead', watch_started_at = migrated_at`.execute(
    db,
  );
  // A cancelled deploy is over too: the next prepare may start.
  await db.schema.dropIndex('deploys_one_active_per_environment').execute();
  await db.schema
    .createIndex('deploys_one_active_per_environment')
    .on('deploys')
    .column('environment')
    .unique()
    .where(sql.ref('phase'), 'not in', ['done', 'rolled-back', 'cancelled'])
    .execute();
  await db.schema
    .alterTable('deploy_evidence')
    .addColumn('waiting', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // An item may need several leads: one standing sign-off per lead, not per item.
  await db.schema.dropIndex('deploy_sign_offs_one_standing').execute();
  await db.schema
    .createIndex('deploy_sign_offs_one_standing_per_lead')
    .on('deploy_sign_offs')
    .columns(['deploy_id', 'item_id', 'signed_by'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deploy_sign_offs_one_standing_per_lead').execute();
  await db.schema
    .createIndex('deploy_sign_offs_one_standing')
    .on('deploy_sign_offs')
    .columns(['deploy_id', 'item_id'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
  await db.schema.alterTable('deploy_evidence').dropColumn('waiting').execute();
  await db.schema.dropIndex('deploys_one_active_per_environment').execute();
  await db.schema
    .createIndex('deploys_one_active_per_environment')
    .on('deploys')
    .column('environment')
    .unique()
    .where(sql.ref('phase'), 'not in', ['done', 'rolled-back'])
    .execute();
  for (const column of [
    'release',
    'checklist',
    'target_revision',
    'migration_started_at',
    'released_at',
    'watch_started_at',
    'ending',
  ])
    await db.schema.alterTable('deploys').dropColumn(column).execute();
}
