import { sql, type Kysely } from 'kysely';

export const name = '0010_deploy_record';

// What happened during a release is its record: rollbacks, refusals, error episodes, verdict flips
// and alias changes seen in the live data are timeline events too. Those the leader detects carry
// a deterministic key, unique per deploy, so a second replica, a restart or a replayed poll that
// sees the same thing again writes nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deploy_events').addColumn('key', 'text').execute();
  await db.schema
    .createIndex('deploy_events_one_per_key')
    .on('deploy_events')
    .columns(['deploy_id', 'key'])
    .unique()
    .where(sql.ref('key'), 'is not', null)
    .execute();
  await db.schema.createIndex('deploy_events_by_time').on('deploy_events').column('at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deploy_events_by_time').execute();
  await db.schema.dropIndex('deploy_events_one_per_key').execute();
  await db.schema.alterTable('deploy_events').dropColumn('key').execute();
}
