import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storyNames } from '../story.js';
import { DemoDatabase } from './demo-database.js';

const newTables = ['provider_credentials', 'coordinator_notification_preferences', 'payment_methods'];

async function schemaFacts(pool: pg.Pool) {
  const tables = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`,
    [newTables],
  );
  const providerColumns = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'providers' AND column_name = ANY($1)`,
    [['home_address', 'fcvs_fid', 'aoa_number', 'references', 'citizenship_status']],
  );
  return { tables: tables.rows[0]!.n, providerColumns: providerColumns.rows[0]!.n };
}

describe('demo target database', () => {
  let database: DemoDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await DemoDatabase.start({ host: '127.0.0.1', port: 0 });
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.close();
  });

  it('starts where the story starts, with the seed rows', async () => {
    expect(await database.revisions()).toEqual([storyNames.currentRevision]);
    expect(await database.pendingRevisions()).toEqual([
      '20260115_0300',
      '20260127_0100',
      '7702d353e5b8',
      '20260131_0000',
    ]);
    expect(await schemaFacts(pool)).toEqual({ tables: 0, providerColumns: 0 });
    const coordinator = await pool.query('SELECT id, role, organization_id FROM users WHERE email = $1', [
      'c1@test.com',
    ]);
    expect(coordinator.rows).toEqual([{ id: 5, role: 'credentialing_coordinator', organization_id: 1 }]);
    const providers = await pool.query(
      `SELECT last_name FROM providers WHERE organization_id = 1 ORDER BY npi`,
    );
    expect(providers.rows.map((r) => r.last_name)).toEqual(['Seghal', 'Hilliard', 'Dalawari', 'Hilliard']);
  });

  it('serves several pooled pg clients at once, transactions included', async () => {
    const work = Array.from({ length: 60 }, async (_, i) => {
      if (i % 3 === 0) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE providers SET phone = $1 WHERE id = 5', [`+1-555-${i}`]);
          const { rows } = await client.query('SELECT phone FROM providers WHERE id = 5');
          await client.query('ROLLBACK');
          return rows[0].phone === `+1-555-${i}`;
        } finally {
          client.release();
        }
      }
      const { rows } = await pool.query(
        'SELECT $1::int AS echo, count(*)::int AS n FROM licenses WHERE id <= $1',
        [i % 8],
      );
      return rows[0].echo === i % 8 && rows[0].n === i % 8;
    });
    expect((await Promise.all(work)).every(Boolean)).toBe(true);
    const { rows } = await pool.query('SELECT phone FROM providers WHERE id = 5');
    expect(rows[0].phone).toBeNull();
  });

  it('runs read-only queries and refuses anything that writes', async () => {
    const result = await database.readOnlyQuery(
      'SELECT id, expiration_date FROM licenses WHERE provider_id = $1 ORDER BY id',
      [2],
    );
    expect(result).toEqual({
      columns: ['id', 'expiration_date'],
      rows: [
        [1, '2025-12-31'],
        [2, '2027-03-31'],
      ],
      rowCount: 2,
    });
    await expect(database.readOnlyQuery(`DELETE FROM licenses`)).rejects.toThrow(/read-only transaction/);
    await expect(database.readOnlyQuery(`COMMIT; DELETE FROM licenses`)).rejects.toThrow(/multiple commands/);
    await expect(database.readOnlyQuery(`SET TRANSACTION READ WRITE`)).rejects.toThrow(/read-write mode/);
    expect((await database.readOnlyQuery('SELECT count(*) AS n FROM licenses')).rows).toEqual([[8]]);
  });

  it('applies the pending revisions in one transaction, once', async () => {
    expect(await database.applyPending()).toHaveLength(4);
    expect(await database.revisions()).toEqual([storyNames.headRevision]);
    expect(await schemaFacts(pool)).toEqual({ tables: 3, providerColumns: 5 });
    const added = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.columns
        WHERE (table_name = 'providers' AND ordinal_position > 13) OR (table_name = 'licenses' AND column_name IN ('portal_pin', 'renewal_notes'))`,
    );
    expect(added.rows[0]!.n).toBe(22);
    const enumValues = await pool.query(
      `SELECT unnest(enum_range(NULL::coordinator_action_type))::text AS v`,
    );
    expect(enumValues.rows.map((r) => r.v)).toContain('stage_changed');
    expect(await database.applyPending()).toEqual([]);
  });

  it('resets to the story start', async () => {
    await database.reset();
    expect(await database.revisions()).toEqual([storyNames.currentRevision]);
    expect(await schemaFacts(pool)).toEqual({ tables: 0, providerColumns: 0 });
  });
});
