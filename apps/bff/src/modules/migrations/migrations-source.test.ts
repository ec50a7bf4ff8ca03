import { fileURLToPath } from 'node:url';
import { initSqlParser } from '@flightdeck/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MigrationsSource } from './migrations-source.js';
import type { TargetDatabase } from '../../platform/upstreams/target-database.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../__fixtures__/migrations/${name}`, import.meta.url));

/** A database that answers the three catalog reads from plain data, or fails when told to. */
class FakeDatabase implements TargetDatabase {
  readonly via = 'direct' as const;
  failWith: Error | null = null;
  versionTableExists = true;
  constructor(
    public versionRows: string[],
    public tables: Record<string, string[]>,
    public sizes: Record<string, { rows: number; bytes: number }> = {},
  ) {}

  async query(sql: string): Promise<Record<string, unknown>[]> {
    if (this.failWith) throw this.failWith;
    if (sql.includes('alembic_version')) {
      if (!this.versionTableExists)
        throw Object.assign(new Error('relation "alembic_version" does not exist'), { code: '42P01' });
      return this.versionRows.map((version_num) => ({ version_num }));
    }
    if (sql.includes('information_schema'))
      return Object.entries(this.tables).flatMap(([table_name, columns]) =>
        columns.map((column_name) => ({ table_name, column_name })),
      );
    if (sql.includes('pg_class'))
      return Object.entries(this.sizes).map(([table_name, size]) => ({
        table_name,
        row_estimate: size.rows,
        total_bytes: String(size.bytes), // pg returns int8 as text
      }));
    return []; // no enums
  }

  async close(): Promise<void> {}
}

beforeAll(initSqlParser);

describe('MigrationsSource', () => {
  it('places the database and lints the pending run against the tables it really has', async () => {
    const database = new FakeDatabase(['0001'], { accounts: ['id', 'email'] });
    const data = await new MigrationsSource(database, fixture('index-on-existing')).fetch();
    expect(data.folderProblem).toBeNull();
    expect(data.report.position).toMatchObject({ current: ['0001'], pending: ['0002'], upToDate: false });
    expect(data.report.revisions.map((r) => [r.revision, r.state])).toEqual([
      ['0001', 'current'],
      ['0002', 'pending'],
    ]);
    expect(data.report.findings.map((f) => [f.ruleId, f.severity, f.table])).toContainEqual([
      'create-index-not-concurrently',
      'warning',
      'accounts',
    ]);
    expect(data.report.drift).toMatchObject({
      missingTables: [],
      missingColumns: [],
      summary: 'nothing missing',
    });
    expect(data.revisionSummaries.map((m) => [m.revision, m.counts])).toEqual([
      ['0001', { tables: 1, columns: 0, indexes: 1, enumValues: 0 }],
      ['0002', { tables: 0, columns: 0, indexes: 1, enumValues: 0 }],
    ]);
    expect(data.createdTables).toEqual([{ revision: '0001', table: 'accounts', columns: ['id', 'email'] }]);
    expect(data.database).toMatchObject({ via: 'direct', error: null });
  });

  it('weighs the pending findings by the live table, with the configured thresholds', async () => {
    const large = new FakeDatabase(
      ['0001'],
      { accounts: ['id', 'email'] },
      {
        accounts: { rows: 3_000_000, bytes: 2 * 1024 ** 3 },
      },
    );
    const settings = { rewriteMBPerSecond: 100, largeTableRows: 1_000_000, largeTableBytes: 1024 ** 3 };
    const data = await new MigrationsSource(large, fixture('index-on-existing'), undefined, settings).fetch();
    expect(data.report.tableSizes).toBe('live');
    const index = data.report.findings.find((f) => f.ruleId === 'create-index-not-concurrently');
    expect(index).toMatchObject({
      severity: 'error',
      tableSize: { rows: 3_000_000, bytes: 2 * 1024 ** 3, lockSeconds: 20.48 },
    });
    expect(index?.message).toContain('accounts: 3.0 million rows, 2.0 GB: about 20 s building the index');

    const small = new FakeDatabase(
      ['0001'],
      { accounts: ['id', 'email'] },
      { accounts: { rows: 200, bytes: 16384 } },
    );
    const weighed = await new MigrationsSource(
      small,
      fixture('index-on-existing'),
      undefined,
      settings,
    ).fetch();
    expect(weighed.report.findings.find((f) => f.ruleId === 'create-index-not-concurrently')?.severity).toBe(
      'info',
    );
  });

  it('names what the database lacks and what it has that no migration creates', async () => {
    const database = new FakeDatabase(['0001'], { accounts: ['id'], audit_log: ['id'] });
    const data = await new MigrationsSource(database, fixture('clean')).fetch();
    expect(data.report.drift).toMatchObject({
      missingTables: [],
      missingColumns: [
        { table: 'accounts', column: 'email' },
        { table: 'accounts', column: 'nickname' },
      ],
      extraTables: ['audit_log'],
      summary: '2 columns missing; 1 table not in the migrations',
    });
  });

  it('keeps the history and the last database reading, with its time, when the database fails', async () => {
    const times = ['2026-02-03T06:00:00.000Z', '2026-02-03T06:00:10.000Z'];
    let tick = 0;
    const database = new FakeDatabase(['0001'], { accounts: ['id', 'email'] });
    const source = new MigrationsSource(database, fixture('clean'), () => new Date(times[tick]!));
    await source.fetch();
    tick = 1;
    database.failWith = Object.assign(new Error('connect ECONNREFUSED 10.0.3.17:5432'), {
      code: 'ECONNREFUSED',
    });
    const data = await source.fetch();
    expect(data.database.error).toMatchObject({ code: 'ECONNREFUSED', at: times[1] });
    expect(data.database.readAt).toBe(times[0]);
    expect(data.report.position?.pending).toEqual(['0002']);
    expect(data.report.revisions).toHaveLength(2);
  });

  it('still shows the history and every summary when the database never answered', async () => {
    const database = new FakeDatabase([], {});
    database.failWith = new Error('timeout');
    const data = await new MigrationsSource(database, fixture('clean')).fetch();
    expect(data.database).toMatchObject({ readAt: null, error: { message: 'timeout' } });
    expect(data.report.position).toBeNull();
    expect(data.report.drift).toBeNull();
    expect(data.missingEnumValues).toBeNull();
    expect(data.report.migrations.map((m) => m.revision)).toEqual(['0001', '0002']);
  });

  it('treats a database without alembic_version as not stamped: everything pending', async () => {
    const database = new FakeDatabase([], {});
    database.versionTableExists = false;
    const data = await new MigrationsSource(database, fixture('clean')).fetch();
    expect(data.database.error).toBeNull();
    expect(data.report.position?.pending).toEqual(['0001', '0002']);
    expect(data.report.findings.map((f) => f.ruleId)).toContain('database-not-stamped');
  });

  it('explains a missing folder in words instead of failing', async () => {
    const data = await new MigrationsSource(new FakeDatabase([], {}), fixture('no-such-folder')).fetch();
    expect(data.folderProblem).toMatch(/versions folder .*no-such-folder does not exist/);
    expect(data.report.revisions).toEqual([]);
  });

  it('reports two unmerged heads as an error finding', async () => {
    const data = await new MigrationsSource(new FakeDatabase(['0001'], {}), fixture('two-heads')).fetch();
    expect(data.report.heads).toEqual(['a1', 'b2']);
    expect(data.report.findings[0]).toMatchObject({ ruleId: 'multiple-heads', severity: 'error' });
  });

  it('says loudly when the database is at a revision the code does not have', async () => {
    const data = await new MigrationsSource(new FakeDatabase(['ffff9999'], {}), fixture('clean')).fetch();
    expect(data.report.position).toMatchObject({ unknown: ['ffff9999'], pending: [] });
    expect(data.report.findings[0]).toMatchObject({ ruleId: 'database-revision-unknown', severity: 'error' });
  });
});
