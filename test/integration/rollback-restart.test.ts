// Evidence 3: the BFF killed with SIGKILL while a restore is in progress; after a restart the
// job shows the restore's true state and finishes following it; RDS got one restore call.
// The sandbox runs here, in the test process, so it outlives the killed BFF; the BFF is a
// child process (node --import tsx apps/bff/src/main.ts: the BFF itself, so SIGKILL reaches it,
// not a launcher that would leave it running) with its rollback jobs in PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAwsClients,
  openStore,
  RollbackService,
  StoreRollbackRepository,
  type RollbackTables,
  type Store,
} from '@flightdeck/bff';
import { startSandbox, storyBaseline, storyNames, type Sandbox } from '@flightdeck/sandbox';
import { awsModeConfig } from '../support/aws-mode-config.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const mainTs = join(repoRoot, 'apps/bff/src/main.ts');

async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a rollback job survives SIGKILL of the BFF', () => {
  let sandbox: Sandbox;
  let db: Kysely<RollbackTables>;
  let store: Store;
  let dir: string;
  let child: ChildProcess | null = null;
  const clients = () =>
    createAwsClients(
      { region: sandbox.region, endpoint: sandbox.awsEndpoint },
      { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
    // Flightdeck's store on the sandbox's PostgreSQL wire: the test reads the jobs the BFF wrote.
    store = await openStore({ url: sandbox.databaseUrl, dataDir: 'memory://' });
    db = store.db;
    dir = mkdtempSync(join(tmpdir(), 'flightdeck-restart-'));
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await store?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let lastUrl = '';
  function startBff(): Promise<ChildProcess> {
    const configFile = join(dir, 'flightdeck.json');
    writeFileSync(
      configFile,
      JSON.stringify(
        awsModeConfig(sandbox, {
          functions: [{ name: storyNames.backendFunction, alias: 'prod' }],
          rollbacks: { pollMs: 100 },
          store: { url: sandbox.databaseUrl },
        }),
      ),
    );
    const started = spawn(process.execPath, ['--import', 'tsx', mainTs, '--config', configFile], {
      cwd: repoRoot,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const running = /Flightdeck is running: (\S+)/.exec(output);
        if (running) {
          lastUrl = running[1]!;
          resolve(started);
        }
      };
      started.stdout!.on('data', onData);
      started.stderr!.on('data', onData);
      started.once('exit', (code) => reject(new Error(`BFF exited (${code}) before it ran:\n${output}`)));
    });
  }

  it('resumes after SIGKILL: no second RestoreDBInstanceFromDBSnapshot, and follows the restore to available', async () => {
    const repository = new StoreRollbackRepository(db);
    const aws = clients();
    const readers = { lambda: aws.lambda, rds: aws.rds };
    // The job is accepted as POST /api/v1/rollbacks accepts it: row and plan first, nothing sent yet.
    const service = new RollbackService({
      deploys: {
        get: async (id) =>
          id === 'd1' ? { id, environment: 'production', baseline: storyBaseline() } : null,
        current: async () => null,
      },
      repository,
      readers,
      order: async () => ({ order: 'alias-alone', steps: ['lambda'], reasons: [], downgrades: [] }),
      start: () => undefined,
    });
    const { job } = await service.request(
      { deployId: 'd1', kind: 'rds', target: storyNames.dbInstance, confirmation: storyNames.dbInstance },
      { user: 'omar' },
      randomUUID(),
    );
    const restored = (job.plan.calls[0]!.parameters as { DBInstanceIdentifier: string }).DBInstanceIdentifier;
    expect(restored).toMatch(new RegExp(`^${storyNames.dbInstance}-restored-[0-9a-z]{8}$`));
    const restores = () => sandbox.scenario.calls().byOperation['RDS.RestoreDBInstanceFromDBSnapshot'] ?? 0;
    expect(restores()).toBe(0);
    const read = async () => (await repository.get(job.id))!.job;

    // First BFF: picks the job up, sends the restore, follows it; killed while RDS says creating.
    child = await startBff();
    await waitFor(async () => {
      const j = await read();
      return j.steps.find((s) => s.name === 'wait until available')?.detail === 'creating' ? j : undefined;
    }, 'the restore to be followed');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = null;
    // Really gone (not a launcher killed in its place): nothing answers where it listened.
    await expect(fetch(`${lastUrl}/healthz`)).rejects.toThrow();
    expect(restores()).toBe(1);
    const stopped = await read();
    expect(stopped.state).toBe('running');
    expect(stopped.steps.find((s) => s.name === 'restore')?.state).toBe('done');

    // Second BFF: resumes the unfinished job; RDS finishes the restore meanwhile.
    await sandbox.scenario.advanceClock(10 * 60);
    child = await startBff();
    await sandbox.scenario.advanceClock(6 * 60);
    const done = await waitFor(async () => {
      const j = await read();
      return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
    }, 'the job to finish');
    expect(done.state).toBe('succeeded');
    expect(done.verification[0]).toMatchObject({ check: 'instance', ok: true });
    expect(done.verification[0]!.detail).toContain(restored);
    expect(restores()).toBe(1);
    aws.destroy();
  }, 120_000);
});
