// Flightdeck's own store: PostgreSQL, embedded (PGlite in a data folder, one process) by default
// or a server from `store.url` (any number of replicas). One Kysely dialect serves both.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import v8 from 'node:v8';
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import type { FoundationTables } from './foundation-tables.js';
import { PglitePool } from './pglite-pool.js';
import type { ReplicaTables } from '../replication/replica-tables.js';
import { StoreError, describeStoreUrl } from './store-error.js';

/** The platform's own tables; each module types its own (and migrates them, in the one sequence). */
export type StoreTables = FoundationTables & ReplicaTables;

export interface StoreSettings {
  /**
   * Every schema version, the platform's and the modules', named `<NNNN>_<what>` in one sequence;
   * the code knows these and no others (a newer store is refused).
   */
  migrations: Record<string, Migration>;
  /** A PostgreSQL server; absent: embedded PGlite in `dataDir`. */
  url?: string;
  /** The embedded store's folder (absolute), or `memory://` for one that lives and dies with the process. */
  dataDir: string;
}

export interface Store {
  db: Kysely<StoreTables>;
  kind: 'embedded' | 'server';
  /** Where it is, for /readyz and logs (never a password). */
  where: string;
  /** The server's connection string (replicas open their own lock and LISTEN connections); null when embedded. */
  url: string | null;
  /** Answers when the store answers a trivial query; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationLockId = 727_301; // advisory lock: two replicas starting together migrate once

/** Opens the store and brings its schema to this code's version; StoreError says what is wrong. */
export async function openStore(
  settings: StoreSettings,
  log: { warn(message: string): void } = console,
): Promise<Store> {
  const store = settings.url ? await openServer(settings.url, log) : await openEmbedded(settings.dataDir);
  try {
    await migrate(store.db, settings.migrations);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

async function openServer(url: string, log: { warn(message: string): void }): Promise<Store> {
  const where = describeStoreUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server must not take the process down; the next query reconnects.
  pool.on('error', (error) => log.warn(`store connection lost (${where}): ${error.message}`));
  // pg-pool listens for errors on idle clients only: a connection dropped mid-query would otherwise
  // emit an unheard 'error' and end the process. The query itself fails, and is answered as such.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  const store: Store = {
    db,
    kind: 'server',
    where,
    url,
    ping: async () => void (await sql`select 1`.execute(db)),
    close: () => db.destroy(),
  };
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new StoreError(
      `Flightdeck's store at ${where} is unreachable: ${(error as Error).message}. ` +
        'Start that PostgreSQL server, or fix store.url / FLIGHTDECK_STORE_URL.',
    );
  }
  return store;
}

/**
 * The embedded PostgreSQL's memory, measured with the production build (test/bench/memory.ts):
 * PGlite's defaults are a server's (shared_buffers 160 MB, 64 MB for maintenance), sized for a
 * database far larger than Flightdeck's few MB of state; these bound what it may touch.
 */
const embeddedSettings = [
  'shared_buffers=8MB',
  'wal_buffers=1MB',
  'temp_buffers=2MB',
  'maintenance_work_mem=16MB',
  'work_mem=2MB',
];

/**
 * PGlite is one 9 MB WebAssembly module: V8's optimizing tier compiles it a second time (some
 * 50 MB of code) for speed the store's few queries a second don't need. Baseline code only; this
 * is a V8 flag, so it holds for the process's other WebAssembly (the SQL parser) too.
 */
let wasmBaselineOnly = false;
function compileWasmBaselineOnly(): void {
  if (wasmBaselineOnly) return;
  wasmBaselineOnly = true;
  v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString('--wasm-lazy-compilation');
}

/**
 * A new folder: PGlite runs initdb first, and what initdb used (some 400 MB, measured) stays in the
 * process after it, closed or not. A short-lived node process of its own creates the database;
 * this one then opens it as it opens any existing store.
 */
async function createEmbeddedDatabase(dataDir: string): Promise<void> {
  const pgliteUrl = import.meta.resolve('@electric-sql/pglite');
  const script = `const [url, dir, conf] = process.argv.slice(1);
const { PGlite } = await import(url);
await (await PGlite.create(dir, { postgresqlconf: JSON.parse(conf) })).close();`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script, pgliteUrl, dataDir, JSON.stringify(embeddedSettings)],
      { timeout: 120_000 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`creating the database failed: ${stderr.trim() || error.message}`))
          : resolve(),
    );
  });
}

async function openEmbedded(dataDir: string): Promise<Store> {
  const inMemory = dataDir === 'memory://';
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  try {
    compileWasmBaselineOnly();
    // Loaded only when used: a server-backed deployment never loads the embedded database.
    const { PGlite } = await import('@electric-sql/pglite');
    // int8 as text, as `pg` returns it, so queries behave the same on both stores.
    const options = { parsers: { 20: (v: string) => v }, postgresqlconf: embeddedSettings };
    if (!inMemory && !existsSync(join(dataDir, 'PG_VERSION'))) await createEmbeddedDatabase(dataDir);
    const pglite = await PGlite.create(inMemory ? undefined : dataDir, options);
    const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool: new PglitePool(pglite) }) });
    return {
      db,
      kind: 'embedded',
      url: null,
      where: inMemory ? 'embedded (in memory)' : `embedded (${dataDir})`,
      ping: async () => void (await sql`select 1`.execute(db)),
      async close() {
        await db.destroy();
        await pglite.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw new StoreError(
      `Flightdeck's embedded store in ${dataDir} could not be opened: ${(error as Error).message}`,
    );
  }
}

/** PGlite is one process: a second Flightdeck on the same folder would corrupt it, so it is refused. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new StoreError(
          `The embedded store in ${dataDir} is in use by another Flightdeck (pid ${holder}). ` +
            'The embedded store serves one process; to run replicas, give them a PostgreSQL server (store.url).',
        );
      }
      rmSync(lockFile, { force: true }); // left by a process that is gone (kill -9)
    }
  }
  throw new StoreError(`Could not lock the embedded store in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Brings the schema up to date, once across replicas; refuses a schema newer than this code. */
async function migrate(db: Kysely<StoreTables>, storeMigrations: Record<string, Migration>): Promise<void> {
  const provider = { getMigrations: async () => storeMigrations };
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${migrationLockId})`.execute(connection);
    try {
      const applied = await appliedMigrations(connection);
      const unknown = applied.filter((name) => !(name in storeMigrations));
      if (unknown.length > 0) {
        throw new StoreError(
          `The store's schema is newer than this Flightdeck: it has ${unknown.join(', ')}, which this version does not know. ` +
            'Run the newer Flightdeck, or point this one at another store.',
        );
      }
      const { error, results } = await new Migrator({
        db: connection,
        provider,
        // Modules add their migrations independently: one arriving with a lower number than one
        // already applied still runs (each touches only its own module's tables).
        allowUnorderedMigrations: true,
      }).migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
        throw new StoreError(
          `The store's schema could not be brought up to date (${failed}): ${String(error)}`,
        );
      }
    } finally {
      await sql`select pg_advisory_unlock(${migrationLockId})`.execute(connection);
    }
  });
}

async function appliedMigrations(db: Kysely<StoreTables>): Promise<string[]> {
  const exists = await sql<{
    found: string | null;
  }>`select to_regclass('kysely_migration')::text as found`.execute(db);
  if (!exists.rows[0]?.found) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}
