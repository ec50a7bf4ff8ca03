import type { MigrationLockMeasurement } from '@flightdeck/contracts';
import type { ColumnType, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** A deploy's measured lock figures (migration 0008). */
export interface LockTables {
  deploy_locks: {
    deploy_id: string;
    measurement: ColumnType<MigrationLockMeasurement, string, string>;
    measured_at: Timestamp;
  };
}

/** Stores a deploy's figures once: a second finish of the same migration (another leader) keeps the first. */
export async function storeMeasurement(
  db: Kysely<LockTables>,
  deployId: string,
  measurement: MigrationLockMeasurement,
): Promise<boolean> {
  const inserted = await db
    .insertInto('deploy_locks')
    .values({
      deploy_id: deployId,
      measurement: JSON.stringify(measurement),
      measured_at: measurement.finishedAt,
    })
    .onConflict((oc) => oc.column('deploy_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function measurementOf(
  db: Kysely<LockTables>,
  deployId: string,
): Promise<MigrationLockMeasurement | null> {
  const row = await db
    .selectFrom('deploy_locks')
    .select('measurement')
    .where('deploy_id', '=', deployId)
    .executeTakeFirst();
  if (!row) return null;
  // PGlite and pg both parse jsonb; a text column from an older driver would not be.
  return typeof row.measurement === 'string'
    ? (JSON.parse(row.measurement) as MigrationLockMeasurement)
    : row.measurement;
}
