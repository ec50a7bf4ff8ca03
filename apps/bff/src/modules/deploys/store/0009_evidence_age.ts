import type { Kysely } from 'kysely';

export const name = '0009_evidence_age';

// Evidence carries the age of its data: when the source it read was fetched (freshness is judged on
// it) and the source's error when it was failing. Deploys keep a running count of the schema errors
// logged since their migration, so the count outlives the logs panel's window. Rows stored before
// keep opening: their new columns are null (age judged on the evaluation, no count yet).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deploy_evidence')
    .addColumn('data_fetched_at', 'timestamptz')
    .addColumn('source_error', 'jsonb')
    .execute();
  await db.schema
    .alterTable('deploys')
    .addColumn('schema_errors_count', 'integer')
    .addColumn('schema_errors_since', 'timestamptz')
    .addColumn('schema_errors_counted_to', 'timestamptz')
    .addColumn('schema_errors_recent', 'jsonb')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [
    'schema_errors_count',
    'schema_errors_since',
    'schema_errors_counted_to',
    'schema_errors_recent',
  ])
    await db.schema.alterTable('deploys').dropColumn(column).execute();
  await db.schema.alterTable('deploy_evidence').dropColumn('data_fetched_at').execute();
  await db.schema.alterTable('deploy_evidence').dropColumn('source_error').execute();
}
