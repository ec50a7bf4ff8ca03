import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateDeployTables, type DeployTables } from '@flightdeck/bff';

/**
 * The deploy tables on a test's own PostgreSQL (PGlite or a real server), passed to Flightdeck as
 * `deployDb` until it opens its own store.
 */
export async function openDeployDb(url: string): Promise<Kysely<DeployTables>> {
  const db = new Kysely<DeployTables>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
  await migrateDeployTables(db);
  return db;
}
