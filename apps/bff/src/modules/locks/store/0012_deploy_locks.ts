import type { Kysely } from 'kysely';

export const name = '0012_deploy_locks';

// Kysely migrations take an untyped database: the schema they build is what later types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // What a deploy's migration held, measured by the lock poll: one row per deploy, written once.
  await db.schema
    .createTable('deploy_locks')
    .ifNotExists()
    .addColumn('deploy_id', 'text', (c) => c.primaryKey())
    .addColumn('measurement', 'jsonb', (c) => c.notNull())
    .addColumn('measured_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
