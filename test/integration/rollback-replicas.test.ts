// Issue 11, evidence 1 across replicas: two BFFs sharing one PostgreSQL store and one sandbox;
// 50 concurrent identical rollback requests spread over both make one job and one UpdateAlias.
import { randomUUID } from 'node:crypto';
import type { RollbackJob } from '@flightdeck/contracts';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import { startSandbox, storyNames, type CallCounts, type Sandbox } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

const backend = storyNames.backendFunction;

describe.skipIf(!postgresAvailability().available)(
  'rollbacks on two replicas sharing a PostgreSQL store',
  () => {
    let server: PostgresServer;
    let sandbox: Sandbox;
    const replicas: TestApp[] = [];

    beforeAll(async () => {
      [server, sandbox] = await Promise.all([
        startPostgresServer(),
        startSandbox({ awsPort: 0, dbPort: 0, quiet: true }),
      ]);
      for (let i = 0; i < 2; i++)
        replicas.push(
          await buildTestApp(
            {
              store: { url: server.url },
              auth: { mutationsPerMinute: 1_000_000 },
              rollbacks: { pollMs: 100 },
            },
            { sandbox },
          ),
        );
    }, 90_000);
    afterAll(async () => {
      for (const app of replicas) await app.close();
      await sandbox?.close();
      await server?.stop();
    });

    it('50 concurrent identical requests over both: one job, one UpdateAlias, every answer names it', async () => {
      const headers = await Promise.all(replicas.map((app) => app.signIn('ops')));
      await replicas[0]!.control('DELETE', 'calls');
      const answers = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const app = replicas[i % 2]!;
          const response = await fetch(`${app.url}/api/v1/rollbacks`, {
            method: 'POST',
            headers: {
              ...headers[i % 2],
              'content-type': 'application/json',
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({
              deployId: 'story-2026-02-03',
              kind: 'lambda',
              target: backend,
              confirmation: backend,
            }),
          });
          return { status: response.status, body: (await response.json()) as RollbackJob };
        }),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([...Array(49).fill(200), 202]);
      const ids = new Set(answers.map((a) => a.body.id));
      expect(ids.size).toBe(1);
      const id = [...ids][0]!;
      const stateOn = async (app: TestApp) => (await app.get<RollbackJob>(`/api/v1/rollbacks/${id}`)).body;
      // The alias is back; the job verifies until a minute of traffic follows the change.
      const changed = await waitFor(async () => {
        const job = await stateOn(replicas[1]!);
        return job.state !== 'pending' && job.state !== 'running' ? job : undefined;
      }, 20_000);
      expect(changed.state).toBe('verifying');
      await replicas[0]!.control('POST', 'clock/advance', { seconds: 180 });
      await Promise.all(replicas.map((app) => app.app.sources.refreshAll()));
      const done = await waitFor(async () => {
        const job = await stateOn(replicas[1]!);
        return job.state === 'succeeded' || job.state === 'failed' ? job : undefined;
      }, 20_000);
      expect(done.state).toBe('succeeded');
      // One verdict, the same on both replicas.
      expect((await stateOn(replicas[0]!)).verification).toEqual(done.verification);
      expect(done.verification.filter((v) => v.check === 'error rate')).toHaveLength(1);
      const calls = await replicas[0]!.control<CallCounts>('GET', 'calls');
      expect(calls.byOperation['Lambda.UpdateAlias']).toBe(1);
    }, 60_000);
  },
);
