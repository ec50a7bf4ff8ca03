import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { bootPglite } from './pglite-boot.js';
import { revisionSql, revisionsAfter, storyStartSql } from './migration-files.js';
import { sessionAwarePglite } from './session-aware-pglite.js';
import {
  longTransactionApplication,
  longTransactionPid,
  simulatedSessionsSql,
} from './simulated-sessions.js';

export interface QueryResultTable {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

/** Enough for any read-only check; more would not fit a Lambda response anyway. */
const maxRows = 5_000;

/**
 * The story's target database: PGlite on a loopback port, reached with `pg` like a real
 * PostgreSQL. The sandbox itself goes through the same socket as everyone else, so its
 * own work (migrations, the SQL function) is isolated from clients' transactions.
 */
export class DemoDatabase {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly pool: pg.Pool,
    readonly url: string,
  ) {}

  static async start(options: { host: string; port: number }): Promise<DemoDatabase> {
    const db = await bootPglite(storyStartSql());
    // Before any client: the one backend keeps this search_path for everyone.
    await db.exec(simulatedSessionsSql);
    // Several pooled clients must work at once (the BFF, tests, the SQL function).
    const server = new PGLiteSocketServer({
      db: sessionAwarePglite(db),
      host: options.host,
      port: options.port,
      maxConnections: 64,
    });
    try {
      await server.start();
    } catch (error) {
      await db.close();
      throw error;
    }
    const port = server.getServerConn().split(':').pop();
    const url = `postgres://postgres:postgres@${options.host}:${port}/postgres`;
    const pool = new pg.Pool({
      connectionString: url,
      max: 3,
      idleTimeoutMillis: 5_000,
      types: jsonSafeTypes,
    });
    pool.on('error', () => undefined); // an idle client dropped at close; the next query reports it
    return new DemoDatabase(db, server, pool, url);
  }

  /** Rows of alembic_version (one per head). */
  async revisions(): Promise<string[]> {
    const result = await this.pool.query<{ version_num: string }>(
      'SELECT version_num FROM alembic_version ORDER BY version_num',
    );
    return result.rows.map((r) => r.version_num);
  }

  async pendingRevisions(): Promise<string[]> {
    const [current] = await this.revisions();
    return revisionsAfter(current);
  }

  /** Runs the SQL of every pending revision in one transaction, as the team did; returns what it applied. */
  async applyPending(): Promise<string[]> {
    return this.inTransaction(async (client) => {
      const { rows } = await client.query<{ version_num: string }>(
        'SELECT version_num FROM alembic_version FOR UPDATE',
      );
      const pending = revisionsAfter(rows[0]?.version_num);
      for (const revision of pending) await client.query(revisionSql(revision));
      return pending;
    });
  }

  /**
   * A simulated worker session holding a row lock on `table` in a transaction left open for
   * `seconds` (the demo database has one backend, so the session is simulated: see
   * simulated-sessions.ts). Replaces one already open.
   */
  async openLongTransaction(table: string, seconds: number): Promise<{ pid: number; endsAt: string }> {
    return this.inTransaction(async (client) => {
      const exists = await client.query(
        "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND tablename = $1",
        [table],
      );
      if (exists.rowCount === 0) throw new UnknownTable(table);
      await client.query('DELETE FROM sandbox_sim.locks WHERE pid = $1', [longTransactionPid]);
      await client.query('DELETE FROM sandbox_sim.sessions WHERE pid = $1', [longTransactionPid]);
      const { rows } = await client.query<{ ends_at: string }>(
        `INSERT INTO sandbox_sim.sessions (pid, application_name, state, query, xact_start, query_start, ends_at)
         VALUES ($1, $2, 'idle in transaction', $3, now(), now(), now() + make_interval(secs => $4))
         RETURNING ends_at`,
        [
          longTransactionPid,
          longTransactionApplication,
          `SELECT * FROM ${table} WHERE id = 1 FOR UPDATE`,
          seconds,
        ],
      );
      await client.query(
        "INSERT INTO sandbox_sim.locks (pid, relname, mode, granted) VALUES ($1, $2, 'RowShareLock', true)",
        [longTransactionPid, table],
      );
      return { pid: longTransactionPid, endsAt: new Date(rows[0]!.ends_at).toISOString() };
    });
  }

  /**
   * The migration played over `seconds` (simulated, like the long transaction): an Alembic session
   * holding the locks the lint predicts for the story's revisions, and three requests waiting
   * behind its ACCESS EXCLUSIVE on providers. It ends by itself; the caller then applies the SQL.
   */
  async playMigration(seconds: number): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('DELETE FROM sandbox_sim.locks WHERE pid >= 5000');
      await client.query('DELETE FROM sandbox_sim.sessions WHERE pid >= 5000');
      await client.query(
        `INSERT INTO sandbox_sim.sessions (pid, application_name, state, query, xact_start, query_start, blocked_by, ends_at)
         SELECT pid, app, 'active', q, now(), now(), blocked, now() + make_interval(secs => $1)
           FROM (VALUES (5000, 'alembic', 'ALTER TABLE providers ADD COLUMN home_address TEXT', '{}'::int[]),
                        (5101, 'credmate api', 'SELECT * FROM providers WHERE organization_id = 1', '{5000}'),
                        (5102, 'credmate api', 'SELECT * FROM providers WHERE id = 2', '{5000}'),
                        (5103, 'credmate worker', 'UPDATE providers SET updated_at = now() WHERE id = 3', '{5000}'))
                AS s(pid, app, q, blocked)`,
        [seconds],
      );
      await client.query(
        `INSERT INTO sandbox_sim.locks (pid, relname, mode, granted, waitstart) VALUES
           (5000, 'alembic_version', 'RowExclusiveLock', true, NULL),
           (5000, 'providers', 'AccessExclusiveLock', true, NULL),
           (5000, 'licenses', 'AccessExclusiveLock', true, NULL),
           (5000, 'users', 'ShareRowExclusiveLock', true, NULL),
           (5000, 'organizations', 'ShareRowExclusiveLock', true, NULL),
           (5101, 'providers', 'AccessShareLock', false, now()),
           (5102, 'providers', 'AccessShareLock', false, now()),
           (5103, 'providers', 'RowExclusiveLock', false, now())`,
      );
    });
  }

  /** Ends the simulated long transaction; true when one was open. */
  async endLongTransaction(): Promise<boolean> {
    return this.inTransaction(async (client) => {
      await client.query('DELETE FROM sandbox_sim.locks WHERE pid = $1', [longTransactionPid]);
      const ended = await client.query(
        'DELETE FROM sandbox_sim.sessions WHERE pid = $1 AND (ends_at IS NULL OR ends_at > now())',
        [longTransactionPid],
      );
      await client.query('DELETE FROM sandbox_sim.sessions WHERE pid = $1', [longTransactionPid]);
      return (ended.rowCount ?? 0) > 0;
    });
  }

  /** Back to the story's start: the schema at the current revision with its seed rows. */
  async reset(): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('DELETE FROM sandbox_sim.locks; DELETE FROM sandbox_sim.sessions;');
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await client.query(storyStartSql());
    });
  }

  /**
   * One statement in a READ ONLY transaction that is always rolled back. The extended
   * protocol refuses a second statement, so "COMMIT; DELETE …" cannot escape it.
   */
  async readOnlyQuery(sql: string, params: unknown[] = []): Promise<QueryResultTable> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      // A statement first, so a "SET TRANSACTION READ WRITE" in `sql` comes too late to work.
      await client.query('SELECT 1');
      // `queryMode` (pg >= 8.12) is missing from @types/pg.
      const query: pg.QueryArrayConfig & { queryMode: 'extended' } = {
        text: sql,
        values: params,
        rowMode: 'array',
        queryMode: 'extended',
      };
      const result = await client.query(query);
      const rows = (result.rows as unknown[][]).slice(0, maxRows);
      return { columns: result.fields.map((f) => f.name), rows, rowCount: result.rowCount ?? rows.length };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    await this.server.stop();
    await this.db.close();
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

export class UnknownTable extends Error {
  constructor(readonly table: string) {
    super(`No table "${table}" in the demo database`);
  }
}

const asText = (value: string) => value;
const textTypes = new Set([
  1082, // date
  1083, // time
  1114, // timestamp
  1184, // timestamptz
  1186, // interval
  1266, // timetz
]);

/** Values as a Python tool would print them with json.dumps(default=str): dates as text, big ints as numbers. */
const jsonSafeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (textTypes.has(oid)) return asText;
    if (oid === 20) return (value: string) => (Number.isSafeInteger(Number(value)) ? Number(value) : value);
    if (oid === 17) return (value: string) => value; // bytea stays in its \x hex form
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;
