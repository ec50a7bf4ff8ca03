import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AlembicSource, DirectTargetDatabase } from '@flightdeck/bff';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

const { available } = postgresAvailability();

/** The production path: the BFF's Alembic source over `pg` against a real PostgreSQL server. */
describe.skipIf(!available)('Alembic source against a real PostgreSQL server', () => {
  let server: PostgresServer;
  let sandbox: Sandbox;
  beforeAll(async () => {
    server = await startPostgresServer();
    // Only for its versions folder: the code whose head we compare against.
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)');
    await client.query("INSERT INTO alembic_version VALUES ('20260115_0200')");
    await client.end();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.stop();
  });

  it('reads the applied revision and finds the four pending ones', async () => {
    const database = new DirectTargetDatabase(server.url);
    try {
      const status = await new AlembicSource(database, sandbox.versionsDir).fetch();
      expect(status).toMatchObject({
        current: ['20260115_0200'],
        heads: ['20260131_0000'],
        pending: ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'],
        upToDate: false,
        via: 'direct',
      });
    } finally {
      await database.close();
    }
  });

  it('reads inside a read-only transaction: a write through it is refused by the server', async () => {
    const database = new DirectTargetDatabase(server.url);
    try {
      await expect(database.query("UPDATE alembic_version SET version_num = 'x'")).rejects.toThrow(
        /read-only/,
      );
    } finally {
      await database.close();
    }
  });
});
