// `flightdeck deploy …`: a pipeline's side of a deploy, over Flightdeck's HTTP API with an API
// token. Only Node built-ins (fetch, parseArgs), so `node dist/cli.js deploy …` runs anywhere.
// Exit codes a pipeline gates on: 0 done or reached; 1 NO-GO at the timeout, a deploy that ended
// otherwise, or a change Flightdeck refused; 2 a usage error; 3 Flightdeck unreachable or the token refused.
// Over 400 lines because the seven commands share one argument parser, one API client and one
// set of exit codes here; `wait` (its stream, printing and timeout) is the piece to move out first.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ChecklistItem, Deploy, DeployDetail, DeployPhase } from '@flightdeck/contracts';
import { readEventStream } from './sse-reader.js';

export const deployExitCodes = { ok: 0, notReached: 1, usage: 2, unreachable: 3 } as const;

export const deployUsage = `  flightdeck deploy <command> --url <flightdeck-url> --token <api-token> …
      A pipeline's side of a deploy, over Flightdeck's API. --url or FLIGHTDECK_URL, --token or
      FLIGHTDECK_TOKEN (an API token, sent as Authorization: Bearer). Exit codes: 0 done or
      reached, 1 NO-GO at the timeout / the deploy ended otherwise / the change was refused,
      2 usage error, 3 Flightdeck unreachable or the token refused.
    prepare [--release-name <v2.14.0>] [--commit <sha>] [--frontend-ref <ref>]
            [--release-url <pull request>] [--notes <text>] [--target-revision <rev>] [--json]
        Prepare a deploy of the release; prints its id (--json: the whole deploy).
    wait <id> --for ready|go|verifying|done [--timeout 30m]
        Follow the deploy (its event stream) and print each checklist item as it changes, until
        ready (snapshot taken), go (its gate says GO), verifying (the migration verified: the
        "healthy?" gate says GO) or done. 1 with every reason on NO-GO at the timeout, or when the
        deploy is cancelled or rolled back.
    migration <id> started|finished      Say the migration started or finished.
    released <id>                        Say the release went out.
    finish <id> --note <text>            Close the watch early.
    cancel <id> --reason <text>          Cancel a deploy prepared and not carried out.
    status <id> [--json]                 The checklist as a table (--json: the whole detail).
`;

export interface DeployCliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

/** A usage error: exit 2 with the message and the usage. */
export class DeployUsageError extends Error {}

/** Flightdeck could not be reached or refused the token: exit 3. */
class Unreachable extends Error {}

/** Flightdeck answered a change or read with an error other than the token's: exit 1. */
class Refused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const waitTargets = ['ready', 'go', 'verifying', 'done'] as const;
type WaitTarget = (typeof waitTargets)[number];

/** "30m", "90s", "1h", "500ms", "2h30m" or plain seconds → milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
}

const activePhasesFrom = (phase: DeployPhase): DeployPhase[] => {
  const order: DeployPhase[] = ['preparing', 'ready', 'migrating', 'verifying', 'monitoring', 'done'];
  return order.slice(order.indexOf(phase));
};

/** Whether the deploy is where `target` asks. */
export function reached(target: WaitTarget, detail: DeployDetail): boolean {
  const { phase } = detail.deploy;
  switch (target) {
    case 'ready':
      return activePhasesFrom('ready').includes(phase);
    case 'go':
      return !['done', 'cancelled', 'rolled-back'].includes(phase) && detail.verdict.verdict === 'GO';
    case 'verifying':
      return activePhasesFrom('verifying').includes(phase) && detail.verdicts.healthy.verdict === 'GO';
    case 'done':
      return phase === 'done';
  }
}

/** Whether the deploy can no longer get there: it ended (cancelled, rolled back, or done before GO). */
export function endedShort(detail: DeployDetail): boolean {
  return ['done', 'cancelled', 'rolled-back'].includes(detail.deploy.phase);
}

interface Connection {
  url: string;
  token: string;
}

function connection(
  values: { url?: string | undefined; token?: string | undefined },
  io: DeployCliIo,
): Connection {
  const url = values.url ?? io.env.FLIGHTDECK_URL;
  const token = values.token ?? io.env.FLIGHTDECK_TOKEN;
  if (!url) throw new DeployUsageError('Where is Flightdeck? Give --url or set FLIGHTDECK_URL.');
  if (!token) throw new DeployUsageError('No API token: give --token or set FLIGHTDECK_TOKEN.');
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new DeployUsageError(`--url ${url} is not an http(s) URL.`);
  }
  return { url: url.replace(/\/+$/, ''), token };
}

/** The API over fetch: the bearer token, an Idempotency-Key on every change, errors as exit codes. */
class Api {
  /** One per command run: a retried request of this run is the same change, never a second one. */
  private readonly idempotencyKey = randomUUID();

  constructor(private readonly conn: Connection) {}

  page(path: string): string {
    return `${this.conn.url}${path}`;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.page(path), {
        method,
        headers: {
          authorization: `Bearer ${this.conn.token}`,
          accept: 'application/json',
          ...(method === 'POST'
            ? { 'content-type': 'application/json', 'idempotency-key': this.idempotencyKey }
            : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Unreachable(
        `Cannot reach Flightdeck at ${this.conn.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}.`,
      );
    }
    if (response.ok) return response;
    const message = await errorMessage(response);
    if (response.status === 401 || response.status === 403)
      throw new Unreachable(`Flightdeck refused the token (${response.status}): ${message}`);
    throw new Refused(`Flightdeck answered ${response.status}: ${message}`, response.status);
  }

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string; code?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON (a proxy's page): the start of it says enough.
  }
  return text.slice(0, 200) || response.statusText;
}

const deployPath = (id: string) => `/api/v1/deploys/${encodeURIComponent(id)}`;

/** Runs `flightdeck deploy <argv>`; returns the exit code. */
export async function runDeployCommand(argv: readonly string[], io: DeployCliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof DeployUsageError) {
      io.err(`flightdeck deploy: ${error.message}\n\nUsage:\n${deployUsage}`);
      return deployExitCodes.usage;
    }
    if (error instanceof Unreachable) {
      io.err(`flightdeck deploy: ${error.message}\n`);
      return deployExitCodes.unreachable;
    }
    if (error instanceof Refused) {
      io.err(`flightdeck deploy: ${error.message}\n`);
      return deployExitCodes.notReached;
    }
    throw error;
  }
}

const common = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function parse<O extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(
  argv: readonly string[],
  options: O,
  positionals: string[],
) {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...common, ...options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.positionals.length !== positionals.length)
      throw new DeployUsageError(
        parsed.positionals.length < positionals.length
          ? `Missing ${positionals.slice(parsed.positionals.length).join(' and ')}.`
          : `Unexpected ${parsed.positionals.slice(positionals.length).join(' ')}.`,
      );
    return parsed;
  } catch (error) {
    if (error instanceof DeployUsageError) throw error;
    throw new DeployUsageError((error as Error).message);
  }
}

async function dispatch(argv: readonly string[], io: DeployCliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'prepare':
      return prepare(rest, io);
    case 'wait':
      return wait(rest, io);
    case 'status':
      return status(rest, io);
    case 'migration': {
      const { values, positionals } = parse(rest, {}, ['<id>', 'started|finished']);
      const [id, state] = positionals as [string, string];
      if (state !== 'started' && state !== 'finished')
        throw new DeployUsageError(`migration takes started or finished, not "${state}".`);
      // Flightdeck may have seen the migration itself (the database's revision moved) before the
      // pipeline says so: a deploy already there is what the pipeline wanted, not a failure.
      return change(io, values, `${deployPath(id)}/migration`, { state }, (detail) =>
        activePhasesFrom(state === 'started' ? 'migrating' : 'verifying').includes(detail.deploy.phase),
      );
    }
    case 'released': {
      const { values, positionals } = parse(rest, {}, ['<id>']);
      return change(io, values, `${deployPath(positionals[0]!)}/released`, {});
    }
    case 'finish': {
      const { values, positionals } = parse(rest, { note: { type: 'string' } }, ['<id>']);
      if (!values.note?.trim()) throw new DeployUsageError('finish needs --note <why the watch closes now>.');
      return change(io, values, `${deployPath(positionals[0]!)}/finish`, { note: values.note });
    }
    case 'cancel': {
      const { values, positionals } = parse(rest, { reason: { type: 'string' } }, ['<id>']);
      if (!values.reason?.trim())
        throw new DeployUsageError('cancel needs --reason <why it is not carried out>.');
      return change(io, values, `${deployPath(positionals[0]!)}/cancel`, { reason: values.reason });
    }
    case undefined:
      throw new DeployUsageError('Which deploy command?');
    default:
      throw new DeployUsageError(`Unknown deploy command "${command}".`);
  }
}

async function prepare(argv: readonly string[], io: DeployCliIo): Promise<number> {
  const { values } = parse(
    argv,
    {
      'release-name': { type: 'string' },
      commit: { type: 'string' },
      'frontend-ref': { type: 'string' },
      'release-url': { type: 'string' },
      notes: { type: 'string' },
      'target-revision': { type: 'string' },
    },
    [],
  );
  const api = new Api(connection(values, io));
  const release = Object.fromEntries(
    Object.entries({
      name: values['release-name'],
      commit: values.commit,
      frontendRef: values['frontend-ref'],
      url: values['release-url'],
      notes: values.notes,
      targetRevision: values['target-revision'],
    }).filter(([, v]) => v !== undefined && v !== ''),
  );
  const deploy = await api.json<Deploy>('POST', '/api/v1/deploys', { release });
  io.out(values.json ? `${JSON.stringify(deploy, null, 2)}\n` : `${deploy.id}\n`);
  return deployExitCodes.ok;
}

async function change(
  io: DeployCliIo,
  values: { url?: string | undefined; token?: string | undefined; json?: boolean | undefined },
  path: string,
  body: unknown,
  alreadyThere?: (detail: DeployDetail) => boolean,
): Promise<number> {
  const api = new Api(connection(values, io));
  let detail: DeployDetail;
  try {
    detail = await api.json<DeployDetail>('POST', path, body);
  } catch (error) {
    if (!(error instanceof Refused) || error.status !== 409 || !alreadyThere) throw error;
    const now = await api.json<DeployDetail>('GET', path.slice(0, path.lastIndexOf('/')));
    if (!alreadyThere(now)) throw error;
    io.err(`flightdeck deploy: Flightdeck already saw it: deploy ${now.deploy.id} is ${now.deploy.phase}.\n`);
    detail = now;
  }
  if (values.json) io.out(`${JSON.stringify(detail, null, 2)}\n`);
  else io.out(`Deploy ${detail.deploy.id} is ${detail.deploy.phase}; ${verdictLine(detail)}\n`);
  return deployExitCodes.ok;
}

function verdictLine(detail: DeployDetail): string {
  return `${detail.verdict.question} ${detail.verdict.verdict}`;
}

/** The checklist as a table: state, phase, item and why. */
export function checklistTable(items: readonly ChecklistItem[]): string {
  const rows = [
    ['STATE', 'PHASE', 'ITEM', 'WHY'],
    ...items.map((i) => [i.state.toUpperCase(), i.phase, `${i.title} (${i.id})`, i.reason]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

async function status(argv: readonly string[], io: DeployCliIo): Promise<number> {
  const { values, positionals } = parse(argv, {}, ['<id>']);
  const api = new Api(connection(values, io));
  const detail = await api.json<DeployDetail>('GET', deployPath(positionals[0]!));
  if (values.json) {
    io.out(`${JSON.stringify(detail, null, 2)}\n`);
    return deployExitCodes.ok;
  }
  io.out(
    `Deploy ${detail.deploy.id} (${detail.deploy.environment}) is ${detail.deploy.phase}; ${verdictLine(detail)}\n`,
  );
  for (const reason of detail.verdict.reasons) io.out(`  - ${reason}\n`);
  io.out(`\n${checklistTable(detail.checklist)}`);
  return deployExitCodes.ok;
}

const itemLine = (i: ChecklistItem) =>
  `  ${i.state.toUpperCase().padEnd(10)} ${i.title} (${i.id}): ${i.reason}\n`;

async function wait(argv: readonly string[], io: DeployCliIo): Promise<number> {
  const { values, positionals } = parse(argv, { for: { type: 'string' }, timeout: { type: 'string' } }, [
    '<id>',
  ]);
  const target = values.for;
  if (!target || !(waitTargets as readonly string[]).includes(target))
    throw new DeployUsageError(
      `wait needs --for ${waitTargets.join('|')}${target ? `, not "${target}"` : ''}.`,
    );
  const timeoutMs = parseDuration(values.timeout ?? '30m');
  if (timeoutMs === null || timeoutMs <= 0)
    throw new DeployUsageError(`--timeout ${values.timeout}: a duration such as 90s, 30m or 1h.`);
  const id = positionals[0]!;
  const api = new Api(connection(values, io));

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const states = new Map<string, string>();
  let last: DeployDetail | null = null;
  /** Prints what changed since the last detail; the outcome once there is one. */
  const take = (detail: DeployDetail): number | null => {
    if (!last) io.out(`Deploy ${detail.deploy.id} is ${detail.deploy.phase}; waiting for ${target}\n`);
    else if (last.deploy.phase !== detail.deploy.phase)
      io.out(`Deploy ${detail.deploy.id} is ${detail.deploy.phase}\n`);
    for (const item of detail.checklist) {
      const seen = `${item.state}\n${item.reason}`;
      if (states.get(item.id) !== seen) io.out(itemLine(item));
      states.set(item.id, seen);
    }
    if (!last || verdictLine(last) !== verdictLine(detail)) io.out(`${verdictLine(detail)}\n`);
    last = detail;
    if (reached(target as WaitTarget, detail)) {
      io.out(`Reached ${target}.\n`);
      return deployExitCodes.ok;
    }
    if (endedShort(detail)) {
      const ending = detail.deploy.ending;
      io.err(
        `flightdeck deploy: deploy ${detail.deploy.id} ended ${detail.deploy.phase} before ${target}${ending ? `: ${ending.message}` : ''}\n`,
      );
      failureLinks(api, detail, io);
      return deployExitCodes.notReached;
    }
    return null;
  };

  try {
    let failures = 0;
    for (;;) {
      let response: Response;
      try {
        response = await api.request('GET', `${deployPath(id)}/events`, undefined, controller.signal);
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) break;
        // A stream that ran before and broke (a BFF restarting): reconnect a few times before giving up.
        if (
          error instanceof Unreachable &&
          last !== null &&
          ++failures <= 5 &&
          !/refused the token/.test(error.message)
        ) {
          io.err(`flightdeck deploy: ${error.message} Reconnecting.\n`);
          await new Promise((r) => setTimeout(r, 1000 * failures));
          continue;
        }
        throw error;
      }
      try {
        for await (const event of readEventStream(response.body!, controller.signal)) {
          if (event.event !== 'deploy') continue;
          const outcome = take(JSON.parse(event.data) as DeployDetail);
          if (outcome !== null) return outcome;
        }
      } catch (error) {
        if (controller.signal.aborted) break;
        io.err(`flightdeck deploy: the event stream broke (${(error as Error).message}); reconnecting.\n`);
      }
      if (controller.signal.aborted) break;
      // The stream ended (a BFF restarting, a proxy's idle cut): a moment, then follow again.
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  // The timeout: where it stands, and every reason it is not there.
  const final = last as DeployDetail | null;
  io.err(`flightdeck deploy: ${target} not reached within ${values.timeout ?? '30m'}`);
  if (final) {
    io.err(` (deploy ${final.deploy.id} is ${final.deploy.phase}; ${verdictLine(final)})\n`);
    const gate =
      target === 'verifying' ? final.verdicts.healthy : target === 'go' ? final.verdict : final.verdict;
    for (const reason of gate.reasons) io.err(`  - ${reason}\n`);
    if (gate.reasons.length === 0)
      for (const item of final.checklist.filter(
        (i) => i.judgement === 'open' && i.state !== 'pass' && i.state !== 'signed-off',
      ))
        io.err(`  - ${item.title}: ${item.reason}\n`);
    failureLinks(api, final, io);
  } else io.err('\n');
  return deployExitCodes.notReached;
}

function failureLinks(api: Api, detail: DeployDetail, io: DeployCliIo): void {
  io.err(`  Deploy: ${api.page(`/deploys/${encodeURIComponent(detail.deploy.id)}`)}\n`);
  io.err(`  Rollback plan: ${api.page('/rollbacks')}\n`);
}
