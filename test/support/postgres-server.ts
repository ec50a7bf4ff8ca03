import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Debian's binaries; FLIGHTDECK_PG_BIN points elsewhere. */
const binDirs = [
  process.env.FLIGHTDECK_PG_BIN,
  '/usr/lib/postgresql/15/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/local/bin',
];

function findBin(name: string): string | null {
  for (const dir of binDirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return null;
}

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
  /** Stops the server, keeping its data and port (a store lost under a running BFF). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  resume(): Promise<void>;
}

/**
 * Whether a real PostgreSQL can be started here: its binaries, and root to run them as the
 * `postgres` user (the server refuses to run as root). Under CI a missing one is a failure.
 */
export function postgresAvailability(): { available: boolean; reason: string } {
  const reasons: string[] = [];
  if (!findBin('initdb') || !findBin('postgres'))
    reasons.push('no initdb/postgres binaries (apt-get install postgresql)');
  if (process.getuid?.() !== 0) reasons.push('not root, cannot run the server as the postgres user');
  if (spawnSync('id', ['postgres']).status !== 0) reasons.push('no postgres user');
  if (reasons.length === 0) return { available: true, reason: '' };
  const reason = reasons.join('; ');
  if (process.env.CI === 'true' || process.env.CI === '1')
    throw new Error(`CI=true but PostgreSQL tests cannot run: ${reason}`);
  console.warn(`Skipping PostgreSQL server tests: ${reason}`);
  return { available: false, reason };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asPostgres = (command: string, args: string[]) => ['-u', 'postgres', '--', command, ...args];

/** Its own throwaway cluster on a free loopback port, trust auth, removed on stop. */
export async function startPostgresServer(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  spawnSync('chown', ['postgres', dir]);
  const init = spawnSync(
    'runuser',
    asPostgres(findBin('initdb')!, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']),
    {
      encoding: 'utf8',
    },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ChildProcess = await launch(dir, dataDir, port, url);
  const pgCtlStop = () =>
    // Signals to runuser don't reliably reach postgres; pg_ctl asks the server itself.
    spawnSync(
      'runuser',
      asPostgres(findBin('pg_ctl')!, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '20']),
    );
  return {
    url,
    async stop() {
      pgCtlStop();
      if (server.exitCode === null) server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    async halt() {
      pgCtlStop();
      if (server.exitCode === null) await new Promise((r) => server.once('exit', r));
    },
    async resume() {
      server = await launch(dir, dataDir, port, url);
    },
  };
}

async function launch(dir: string, dataDir: string, port: number, url: string): Promise<ChildProcess> {
  const server: ChildProcess = spawn(
    'runuser',
    asPostgres(findBin('postgres')!, [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
    ]),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return server;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`postgres did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
