// `flightdeck deploy …` against a local HTTP server standing in for Flightdeck's API: the
// arguments, the headers every request carries, the exit codes, and the event stream it follows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChecklistItem, DeployDetail, DeployPhase } from '@flightdeck/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration, runDeployCommand } from './deploy-command.js';
import { SseParser } from './sse-reader.js';
import { runCli } from './cli.js';

const token = 'fd_test-token';

function item(id: string, state: ChecklistItem['state'], reason: string): ChecklistItem {
  return {
    id,
    phase: 'pre-deploy',
    title: `Item ${id}`,
    kind: 'manual',
    state,
    reason,
    evidence: null,
    evidenceAgeSeconds: null,
    signOff: null,
    signOffs: [],
    signOffsNeeded: 1,
    judgement: 'open',
    description: null,
  };
}

function detail(
  phase: DeployPhase,
  verdict: 'GO' | 'NO-GO',
  items: ChecklistItem[],
  reasons: string[] = [],
): DeployDetail {
  const gate = (g: 'migration' | 'healthy' | 'close', v: 'GO' | 'NO-GO' | 'pending', r: string[]) => ({
    gate: g,
    question: g === 'migration' ? 'Go for the migration?' : g === 'healthy' ? 'Healthy?' : 'Go to close?',
    verdict: v,
    reasons: r,
  });
  const healthy = phase === 'verifying' || phase === 'monitoring' ? verdict : 'pending';
  return {
    deploy: {
      id: 'production-20260203T062934Z',
      environment: 'production',
      phase,
      preparedBy: 'pipeline',
      preparedAt: '2026-02-03T06:29:34.000Z',
      ending:
        phase === 'cancelled'
          ? {
              kind: 'cancelled',
              by: 'omar',
              fromPhase: 'ready',
              at: '2026-02-03T07:00:00.000Z',
              message: 'cancelled by omar: wrong tag',
            }
          : null,
    },
    checklist: items,
    verdict:
      phase === 'verifying' || phase === 'monitoring'
        ? gate('healthy', verdict, reasons)
        : gate('migration', verdict, reasons),
    verdicts: {
      migration: gate('migration', phase === 'verifying' ? 'GO' : verdict, reasons),
      healthy: gate('healthy', healthy, healthy === 'pending' ? [] : reasons),
      close: gate('close', 'pending', []),
    },
    transitions: [],
    timeline: [],
  } as unknown as DeployDetail;
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Flightdeck's API as the CLI uses it, with the event stream under the test's control. */
async function fakeFlightdeck() {
  const seen: Seen[] = [];
  const streams = new Set<ServerResponse>();
  let current = detail(
    'ready',
    'NO-GO',
    [item('a', 'pending', 'waiting for a lead’s sign-off')],
    ['Item a: waiting for a lead’s sign-off'],
  );
  const send = (res: ServerResponse, d: DeployDetail) =>
    res.write(`event: deploy\r\ndata: ${JSON.stringify(d)}\r\n\r\n`);
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.headers.authorization !== `Bearer ${token}`)
        return json(401, { error: { code: 'TokenUnknown', message: 'The API token is not known.' } });
      const path = req.url!.split('?')[0]!;
      if (req.method === 'POST' && path === '/api/v1/deploys')
        return json(201, { ...current.deploy, phase: 'preparing', release: JSON.parse(body).release });
      if (path.endsWith('/events')) {
        if (!path.includes(current.deploy.id))
          return json(404, { error: { code: 'DeployNotFound', message: 'No deploy nope.' } });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('retry: 2000\n\n: a comment\n\n');
        send(res, current);
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      if (req.method === 'GET' && path === `/api/v1/deploys/${current.deploy.id}`) return json(200, current);
      if (req.method === 'POST' && path.endsWith('/cancel') && current.deploy.phase === 'monitoring')
        return json(409, {
          error: { code: 'TransitionNotAllowed', message: 'Deploy is monitoring: cancel does not apply.' },
        });
      if (req.method === 'POST' && path.endsWith('/migration') && current.deploy.phase === 'verifying')
        return json(409, {
          error: {
            code: 'TransitionNotAllowed',
            message: 'Deploy is verifying: migration-finished does not apply.',
          },
        });
      if (req.method === 'POST') return json(200, current);
      json(404, { error: { code: 'NotFound', message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    streams,
    set(d: DeployDetail) {
      current = d;
      for (const res of streams) send(res, d);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function capture(env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  return {
    io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t), env },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe('the event stream parser', () => {
  it('reads events split anywhere, CRLF, CR or LF, multi-line data, comments and ids', () => {
    const stream =
      'retry: 2000\r\n\r\n: keep-alive\n\nevent: deploy\r\nid: 7\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata:plain\rdata: two\r\r';
    for (const size of [1, 2, 3, 5, 8, stream.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...parser.push(stream.slice(i, i + size)));
      // A lone CR at the very end waits for a possible LF: the next chunk (or none) settles it.
      events.push(...parser.push('\n'));
      expect(events, `chunks of ${size}`).toEqual([
        { event: 'deploy', data: '{"a":\n1}', id: '7' },
        { event: 'message', data: 'plain\ntwo', id: '7' },
      ]);
    }
  });

  it('reads durations', () => {
    expect([
      parseDuration('30m'),
      parseDuration('90s'),
      parseDuration('1h30m'),
      parseDuration('500ms'),
    ]).toEqual([1_800_000, 90_000, 5_400_000, 500]);
    expect(parseDuration('12')).toBe(12_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('5 m')).toBeNull();
  });
});

describe('flightdeck deploy (a local stand-in for Flightdeck)', () => {
  let flightdeck: Awaited<ReturnType<typeof fakeFlightdeck>>;
  const id = 'production-20260203T062934Z';
  beforeAll(async () => {
    flightdeck = await fakeFlightdeck();
  });
  afterAll(async () => flightdeck?.close());
  afterEach(() => {
    flightdeck.seen.length = 0;
  });
  const run = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const io = capture({ FLIGHTDECK_URL: flightdeck.url, FLIGHTDECK_TOKEN: token, ...env });
    const code = await runDeployCommand(args, io.io);
    return { code, out: io.out, err: io.err };
  };

  it('prepares with the release, the bearer token and an Idempotency-Key, and prints the id', async () => {
    const prepared = await run([
      'prepare',
      '--release-name',
      'v2.14.0',
      '--commit',
      '4f2a9e1',
      '--release-url',
      'https://example.invalid/pr/812',
      '--target-revision',
      '20260131_0000',
    ]);
    expect(prepared).toMatchObject({ code: 0, out: `${id}\n` });
    const [request] = flightdeck.seen;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/deploys' });
    expect(request!.headers.authorization).toBe(`Bearer ${token}`);
    expect(request!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request!.body)).toEqual({
      release: {
        name: 'v2.14.0',
        commit: '4f2a9e1',
        url: 'https://example.invalid/pr/812',
        targetRevision: '20260131_0000',
      },
    });
    const json = await run(['prepare', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ id, phase: 'preparing' });
  });

  it('--url and --token win over the environment', async () => {
    const io = capture({ FLIGHTDECK_URL: 'http://127.0.0.1:1', FLIGHTDECK_TOKEN: 'fd_wrong' });
    const code = await runDeployCommand(['status', id, '--url', flightdeck.url, '--token', token], io.io);
    expect(code).toBe(0);
    expect(io.out).toContain(`Deploy ${id} (production) is ready; Go for the migration? NO-GO`);
    expect(io.out).toMatch(
      /STATE\s+PHASE\s+ITEM\s+WHY\nPENDING\s+pre-deploy\s+Item a \(a\)\s+waiting for a lead’s sign-off/,
    );
  });

  it('exits 2 on a usage error, saying what is wrong', async () => {
    for (const args of [
      [],
      ['launch'],
      ['wait', id],
      ['wait', id, '--for', 'tuesday'],
      ['wait', id, '--for', 'go', '--timeout', 'soon'],
      ['wait'],
      ['migration', id, 'halfway'],
      ['finish', id],
      ['cancel', id, '--reason', '  '],
      ['status', id, '--colour'],
    ]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(/^flightdeck deploy: .+\n\nUsage:/);
    }
    expect((await run(['status', id], { FLIGHTDECK_URL: '' })).err).toContain('FLIGHTDECK_URL');
    expect((await run(['status', id], { FLIGHTDECK_TOKEN: '' })).err).toContain('FLIGHTDECK_TOKEN');
    expect(flightdeck.seen).toEqual([]);
  });

  it('exits 3 when the token is refused or Flightdeck cannot be reached; 1 when a change is refused', async () => {
    const refused = await run(['status', id], { FLIGHTDECK_TOKEN: 'fd_wrong' });
    expect(refused).toMatchObject({ code: 3 });
    expect(refused.err).toContain('Flightdeck refused the token (401): The API token is not known.');
    const gone = await run(['wait', id, '--for', 'go'], { FLIGHTDECK_URL: 'http://127.0.0.1:1' });
    expect(gone.code).toBe(3);
    expect(gone.err).toContain('Cannot reach Flightdeck at http://127.0.0.1:1');
    expect((await run(['wait', 'nope', '--for', 'go'])).code).toBe(1);
  });

  it('sends each transition to its route, with the note or reason', async () => {
    expect((await run(['migration', id, 'started'])).code).toBe(0);
    expect((await run(['migration', id, 'finished'])).code).toBe(0);
    expect((await run(['released', id])).code).toBe(0);
    expect((await run(['finish', id, '--note', 'verified by hand'])).code).toBe(0);
    expect((await run(['cancel', id, '--reason', 'wrong tag'])).code).toBe(0);
    expect(
      flightdeck.seen.map((s) => [s.url.replace(`/api/v1/deploys/${id}`, ''), JSON.parse(s.body)]),
    ).toEqual([
      ['/migration', { state: 'started' }],
      ['/migration', { state: 'finished' }],
      ['/released', {}],
      ['/finish', { note: 'verified by hand' }],
      ['/cancel', { reason: 'wrong tag' }],
    ]);
    // One key per command run: each run is its own change.
    expect(new Set(flightdeck.seen.map((s) => s.headers['idempotency-key'])).size).toBe(5);
  });

  it('takes a migration Flightdeck already saw as done (0), and exits 1 on any other refusal', async () => {
    flightdeck.set(detail('verifying', 'NO-GO', [item('health', 'pending', 'waiting')], ['waiting']));
    const seen = await run(['migration', id, 'finished']);
    expect(seen.code).toBe(0);
    expect(seen.err).toContain(`Flightdeck already saw it: deploy ${id} is verifying.`);
    flightdeck.set(detail('monitoring', 'GO', [item('health', 'pass', 'HTTP 200')]));
    const refused = await run(['cancel', id, '--reason', 'too late']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Flightdeck answered 409: Deploy is monitoring: cancel does not apply.');
    flightdeck.set(
      detail(
        'ready',
        'NO-GO',
        [item('a', 'pending', 'waiting for a lead’s sign-off')],
        ['Item a: waiting for a lead’s sign-off'],
      ),
    );
  });

  it('waits over the event stream, printing each item as it changes, and exits 0 at GO', async () => {
    const waiting = run(['wait', id, '--for', 'go', '--timeout', '20s']);
    await expect.poll(() => flightdeck.streams.size).toBe(1);
    flightdeck.set(
      detail(
        'ready',
        'NO-GO',
        [item('a', 'signed-off', 'signed off by lee'), item('b', 'pending', 'waiting')],
        ['Item b: waiting'],
      ),
    );
    flightdeck.set(
      detail('ready', 'GO', [item('a', 'signed-off', 'signed off by lee'), item('b', 'pass', 'ok')]),
    );
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(result.out.split('\n')).toEqual([
      `Deploy ${id} is ready; waiting for go`,
      '  PENDING    Item a (a): waiting for a lead’s sign-off',
      'Go for the migration? NO-GO',
      '  SIGNED-OFF Item a (a): signed off by lee',
      '  PENDING    Item b (b): waiting',
      '  PASS       Item b (b): ok',
      'Go for the migration? GO',
      'Reached go.',
      '',
    ]);
    // One stream, no polling of the deploy.
    expect(flightdeck.seen.map((s) => s.url)).toEqual([`/api/v1/deploys/${id}/events`]);
    await expect.poll(() => flightdeck.streams.size).toBe(0);
  });

  it('exits 1 at the timeout on NO-GO, printing every reason and the rollback plan', async () => {
    flightdeck.set(
      detail(
        'verifying',
        'NO-GO',
        [item('health', 'fail', 'HTTP 503')],
        ['Application health checked: HTTP 503', 'Error rates at zero: 20 errors'],
      ),
    );
    const result = await run(['wait', id, '--for', 'verifying', '--timeout', '1s']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `verifying not reached within 1s (deploy ${id} is verifying; Healthy? NO-GO)`,
    );
    expect(result.err).toContain(
      '  - Application health checked: HTTP 503\n  - Error rates at zero: 20 errors\n',
    );
    expect(result.err).toContain(`Rollback plan: ${flightdeck.url}/rollbacks`);
  });

  it('exits 1 when the deploy is cancelled while it waits, saying why', async () => {
    flightdeck.set(detail('ready', 'NO-GO', [item('a', 'pending', 'waiting')], ['Item a: waiting']));
    const waiting = run(['wait', id, '--for', 'go', '--timeout', '20s']);
    await expect.poll(() => flightdeck.streams.size).toBe(1);
    flightdeck.set(detail('cancelled', 'NO-GO', [item('a', 'pending', 'waiting')]));
    const result = await waiting;
    expect(result.code).toBe(1);
    expect(result.err).toContain(`deploy ${id} ended cancelled before go: cancelled by omar: wrong tag`);
  });

  it('is the `deploy` command of the flightdeck CLI, in its usage', async () => {
    const io = capture();
    expect(await runCli(['--help'], { cwd: process.cwd(), ...io.io })).toBe(0);
    expect(io.out).toContain('flightdeck deploy <command> --url <flightdeck-url> --token <api-token>');
    const status = capture({ FLIGHTDECK_URL: flightdeck.url, FLIGHTDECK_TOKEN: token });
    expect(await runCli(['deploy', 'status', id, '--json'], { cwd: process.cwd(), ...status.io })).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({ deploy: { id } });
  });
});
