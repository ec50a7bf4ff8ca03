import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTestApp, waitFor } from '../../testing/build-test-app.js';
import { openEventStreamClient, type EventStreamClient } from '../../testing/event-stream-client.js';

const hangFilterLogEvents = { service: 'CloudWatchLogs', operation: 'FilterLogEvents', kind: 'hang' };

/** Twenty tails of twenty people (no per-person cap in the way), each with a filter of its own. */
function openTails(baseUrl: string, functionName: string): Promise<EventStreamClient[]> {
  return Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      openEventStreamClient(
        `${baseUrl}/api/v1/logs/${encodeURIComponent(functionName)}/tail?filter=%22word${i}%22`,
        { headers: { 'x-forwarded-user': `person-${i}` }, keep: false },
      ),
    ),
  );
}

describe('shutdown with FilterLogEvents calls in flight and queued on the budget', () => {
  it('closes at once, abandoning the hung calls and the queue, and ends every stream', async () => {
    // One call every five seconds, and AWS never answering the ones that go: minutes of waiting.
    const app = await buildTestApp({ logs: { callsPerSecond: 0.2 }, auth: { mode: 'proxy' } });
    await app.control('POST', 'faults', hangFilterLogEvents);
    const budget = app.app.upstreams.logsBudget;
    const clients = await openTails(app.url, app.config.functions[0]!.name);
    expect(clients.every((c) => c.status === 200)).toBe(true);
    const queued = await waitFor(() => (budget.waiting >= 10 ? budget.waiting : undefined), 30_000);
    const started = performance.now();
    const outcome = await app.close();
    const ms = Math.round(performance.now() - started);
    console.log(
      `closed (${outcome}) in ${ms} ms with ${queued} FilterLogEvents calls queued, the sent ones hung`,
    );
    // Every module's work ended (none left behind by the grace), within the bound.
    expect(outcome).toBe('finished');
    expect(ms).toBeLessThan(5_000);
    expect(budget.waiting).toBe(0);
    await Promise.all(clients.map((c) => c.ended));
  }, 60_000);

  it('SIGTERM: the process exits cleanly (code 0, not the backstop) with calls queued and hung', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flightdeck-sigterm-'));
    const configPath = join(dir, 'flightdeck.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        mode: 'sandbox',
        server: { host: '127.0.0.1', port: 0, logLevel: 'warn' },
        sandbox: { awsPort: 0, dbPort: 0 },
        store: { dataDir: join(dir, 'store') },
        logs: { callsPerSecond: 0.2 },
        auth: { mode: 'proxy' },
      }),
    );
    const bff = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: bff,
      env: { ...process.env, FLIGHTDECK_CONFIG: configPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const [url, aws] = await new Promise<[string, string]>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const running = /Flightdeck is running: (\S+)/.exec(output);
          const sandbox = /sandbox AWS (\S+),/.exec(output);
          if (running && sandbox) resolve([running[1]!, sandbox[1]!]);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        void exited.then((code) => reject(new Error(`exited ${code} before starting:\n${output}`)));
      });
      const fault = await fetch(`${aws}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(hangFilterLogEvents),
      });
      expect(fault.ok).toBe(true);
      const logs = await fetch(`${url}/api/v1/logs`, { headers: { 'x-forwarded-user': 'oncall' } });
      const functionName = ((await logs.json()) as { groups: Array<{ functionName: string }> }).groups[0]!
        .functionName;
      const clients = await openTails(url, functionName);
      const queued = await waitFor(async () => {
        const state = await fetch(`${url}/api/v1/logs`, { headers: { 'x-forwarded-user': 'oncall' } });
        const { budget } = (await state.json()) as { budget: { waiting: number } };
        return budget.waiting >= 10 ? budget.waiting : undefined;
      }, 30_000);
      const started = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      const ms = Math.round(performance.now() - started);
      console.log(`exited ${code} ${ms} ms after SIGTERM, ${queued} FilterLogEvents calls queued`);
      // 0: stopped with every module's work ended, not abandoned by the grace or the backstop.
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5_000);
      await Promise.all(clients.map((c) => c.ended));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
