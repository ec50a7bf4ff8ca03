import { sql, type Kysely } from 'kysely';

export const name = '0004_replicas';

// Kysely migrations take an untyped database: the schema they build is what later types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row: the collector leader's fencing epoch. Every published write is conditional on it.
  await db.schema
    .createTable('leader_lease')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('epoch', 'bigint', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('since', 'timestamptz')
    .execute();
  await sql`insert into leader_lease (id, epoch) values (1, 0) on conflict do nothing`.execute(db);
  // What the leader polled, per source (and per metrics window); followers adopt it.
  await db.schema
    .createTable('source_states')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('epoch', 'bigint', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // What viewers on any replica have open (a metrics window, a log tail): the leader serves it.
  await db.schema
    .createTable('live_demands')
    .ifNotExists()
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('last_wanted_at', 'timestamptz', (c) => c.notNull())
    // Set by the leader after it served the demand (a tail's poll stored its lines).
    .addColumn('served_at', 'timestamptz')
    .addPrimaryKeyConstraint('live_demands_pk', ['kind', 'key'])
    .execute();
  // Lines the leader's tails read, for followers' tails to read instead of CloudWatch (pruned).
  await db.schema
    .createTable('tail_lines')
    .ifNotExists()
    .addColumn('tail_key', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('log_stream', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('tail_lines_pk', ['tail_key', 'event_id'])
    .execute();
  await db.schema
    .createIndex('tail_lines_by_time')
    .ifNotExists()
    .on('tail_lines')
    .columns(['tail_key', 'timestamp'])
    .execute();
}
