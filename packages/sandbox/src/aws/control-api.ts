import type { AwsService } from '../scenario/faults.js';
import { SandboxInputError } from '../scenario/input-error.js';
import type { Scenario } from '../scenario/scenario.js';
import type { HttpReply } from './http-reply.js';

export const controlPrefix = '/_sandbox';

/**
 * The scenario's control API, JSON under /_sandbox/ on the AWS port: a thin layer over the
 * in-process Scenario handle. Bad input is a 400 and changes nothing.
 */
export async function handleControl(
  scenario: Scenario,
  method: string,
  path: string,
  rawBody: string,
): Promise<HttpReply> {
  try {
    const body = parseBody(rawBody);
    const segments = path.slice(controlPrefix.length).split('/').filter(Boolean).map(decodeURIComponent);
    const [resource, ...rest] = segments;
    const route = `${method} ${resource ?? ''}${rest.length > 0 ? `/${rest.length}` : ''}`;
    switch (route) {
      case 'GET health': {
        // The application's health URL: it fails, as the story's endpoint did, while tables are missing.
        const missing = scenario.notificationPreferencesMissingAt(scenario.now());
        return reply(missing ? 503 : 200, {
          status: missing ? 'failing' : 'ok',
          detail: missing
            ? 'relation "coordinator_notification_preferences" does not exist'
            : 'all endpoints answer',
        });
      }
      case 'GET state':
        return ok(await scenario.state());
      case 'POST clock/1':
        if (rest[0] === 'pause' || rest[0] === 'resume') {
          expectFields(body, [], []);
          const clock = rest[0] === 'pause' ? scenario.pauseClock() : scenario.resumeClock();
          return ok({ clock, scenarioTime: new Date(scenario.now()).toISOString() });
        }
        if (rest[0] !== 'advance') break;
        expectFields(body, ['seconds'], ['seconds']);
        await scenario.advanceClock(body.seconds as number);
        return ok({
          clock: (await scenario.state()).clock,
          scenarioTime: new Date(scenario.now()).toISOString(),
        });
      case 'POST migrations/1':
        if (rest[0] !== 'apply') break;
        expectFields(body, ['playSeconds'], []);
        return ok(await scenario.applyMigrations(body.playSeconds));
      case 'POST db/1':
        if (rest[0] !== 'long-transaction') break;
        expectFields(body, ['table', 'seconds'], ['table', 'seconds']);
        return ok(await scenario.openLongTransaction(body.table, body.seconds));
      case 'DELETE db/1':
        if (rest[0] !== 'long-transaction') break;
        expectFields(body, [], []);
        return ok(await scenario.endLongTransaction());
      case 'POST reset':
        expectFields(body, [], []);
        await scenario.reset();
        return ok(await scenario.state());
      case 'GET faults':
        return ok({ faults: scenario.faults() });
      case 'POST faults': {
        const fault = await scenario.injectFault(body);
        return ok({ fault, faults: scenario.faults() });
      }
      case 'DELETE faults':
        await scenario.clearFaults();
        return ok({ faults: scenario.faults() });
      case 'DELETE faults/1':
      case 'DELETE faults/2':
        await scenario.clearFaults(rest[0] as AwsService, rest[1]);
        return ok({ faults: scenario.faults() });
      case 'GET calls':
        return ok(scenario.calls());
      case 'GET calls/1':
        // FilterLogEvents calls by filter pattern: which tail (or panel) is still calling.
        if (rest[0] !== 'filter-patterns') break;
        return ok({ byFilterPattern: scenario.filterPatternCalls() });
      case 'DELETE calls':
        scenario.resetCalls();
        return ok(scenario.calls());
      case 'GET timeline':
        return ok({ timeline: scenario.timeline() });
      case 'POST functions/2':
        if (rest[1] === 'log') {
          expectFields(body, ['message', 'lateSeconds'], ['message']);
          if (typeof body.message !== 'string')
            throw new SandboxInputError('InvalidBody', 'message must be a string');
          if (body.lateSeconds !== undefined && typeof body.lateSeconds !== 'number')
            throw new SandboxInputError('InvalidBody', 'lateSeconds must be a number');
          scenario.writeLogLine(rest[0]!, body.message, body.lateSeconds ?? 0);
          return ok({ written: true });
        }
        if (rest[1] === 'errors') {
          expectFields(body, ['count'], ['count']);
          if (typeof body.count !== 'number')
            throw new SandboxInputError('InvalidBody', 'count must be a number');
          return ok(scenario.failInvocations(rest[0]!, body.count));
        }
        if (rest[1] !== 'deploy') break;
        expectFields(body, [], []);
        return ok({ latest: await scenario.deployFunctionCode(rest[0]!) });
    }
    return reply(404, { error: { code: 'NotFound', message: `No control route ${method} ${path}` } });
  } catch (error) {
    if (error instanceof SandboxInputError)
      return reply(400, { error: { code: error.code, message: error.message } });
    return reply(500, {
      error: { code: 'InternalError', message: error instanceof Error ? error.message : String(error) },
    });
  }
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SandboxInputError('InvalidJson', 'The body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SandboxInputError('InvalidJson', 'The body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function expectFields(body: Record<string, unknown>, allowed: string[], required: string[]): void {
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new SandboxInputError('InvalidBody', `Unknown field "${extra}"`);
  const missing = required.find((k) => !(k in body));
  if (missing !== undefined) throw new SandboxInputError('InvalidBody', `Missing field "${missing}"`);
}

function ok(body: unknown): HttpReply {
  return reply(200, body);
}

function reply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
