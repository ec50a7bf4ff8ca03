// The replicas phase (issue 9): AWS calls per minute of one BFF and of three BFFs sharing a real
// PostgreSQL store, counted by the sandbox. Only the elected leader polls, so the ratio stays near 1.
import { postgresAvailability, startPostgresServer } from '../support/postgres-server.js';
import { startBffProcess, type BffProcess } from './bff-process.js';

type Control = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export type ReplicasResult =
  | { skipped: string }
  | { oneReplicaPerMinute: number; threeReplicasPerMinute: number; ratio: number; measuredMs: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function callsPerMinute(control: Control, measureMs: number): Promise<number> {
  await control('DELETE', 'calls');
  const started = performance.now();
  await sleep(measureMs);
  const calls = await control<{ total: number }>('GET', 'calls');
  return (calls.total * 60_000) / (performance.now() - started);
}

async function ready(bff: BffProcess): Promise<void> {
  for (let i = 0; i < 150 && (await fetch(`${bff.url}/readyz`)).status !== 200; i++) await sleep(200);
}

export async function measureReplicas(
  bffConfig: Record<string, unknown>,
  env: Record<string, string>,
  control: Control,
  measureMs: number,
): Promise<ReplicasResult> {
  const { available, reason } = postgresAvailability();
  if (!available) return { skipped: reason };
  const server = await startPostgresServer();
  const running: BffProcess[] = [];
  const start = async (id: string) => {
    const bff = await startBffProcess(
      { ...bffConfig, store: { url: server.url, replicaId: id } },
      { ...env, FLIGHTDECK_REPLICA_ID: id },
    );
    running.push(bff);
    await ready(bff);
  };
  try {
    await start('bench-1');
    await sleep(3_000); // the first polls of a start are not the steady rate
    const one = await callsPerMinute(control, measureMs);
    await start('bench-2');
    await start('bench-3');
    await sleep(3_000);
    const three = await callsPerMinute(control, measureMs);
    return {
      oneReplicaPerMinute: one,
      threeReplicasPerMinute: three,
      ratio: three / one,
      measuredMs: measureMs,
    };
  } finally {
    for (const bff of running) await bff.stop();
    await server.stop();
  }
}
