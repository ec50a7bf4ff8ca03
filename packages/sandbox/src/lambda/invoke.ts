import { randomUUID } from 'node:crypto';
import type { Scenario } from '../scenario/scenario.js';
import { storyNames } from '../story.js';
import type { RecordedInvocation } from '../traffic/world.js';
import type { LambdaFunction } from './function-catalog.js';
import { runSqlFunction } from './sql-function.js';

export interface InvokeOutcome {
  executedVersion: string;
  /** "Unhandled" when the function raised, as Lambda reports it. */
  functionError?: 'Unhandled';
  payload: unknown;
  /** The invocation's log, as X-Amz-Log-Result returns it with LogType Tail. */
  log: string;
}

/**
 * Runs a function of the story. The SQL function really queries the demo database (read
 * only); the backend answers a few API Gateway requests the way the scenario says it would.
 * Every call is recorded, so it shows in the function's metrics and log group.
 */
export async function invokeFunction(
  scenario: Scenario,
  fn: LambdaFunction,
  qualifier: string | undefined,
  payload: unknown,
  options: { record: boolean },
): Promise<InvokeOutcome> {
  const { version } = scenario.lambda.configurationOf(fn, qualifier);
  const executedVersion = version.version;
  const requestId = randomUUID();
  const started = performance.now();
  const atMs = scenario.now();
  let result: { failed: boolean; payload: unknown; lines: string[] };
  if (fn.story.name === storyNames.sqlFunction) {
    const outcome = await runSqlFunction(payload, scenario.demoDatabase);
    result = outcome.ok
      ? {
          failed: false,
          payload: outcome.body,
          lines: outcome.log.map((l) => `[INFO]\t${iso(atMs)}\t${requestId}\t${l}\n`),
        }
      : {
          failed: true,
          payload: {
            errorMessage: outcome.errorMessage,
            errorType: outcome.errorType,
            requestId,
            stackTrace: [
              '  File "/var/task/rds_query.py", line 57, in handler\n    cursor.execute(sql, params)\n',
            ],
          },
          lines: [
            `[ERROR] ${outcome.errorType}: ${outcome.errorMessage}\nTraceback (most recent call last):\n  File "/var/task/rds_query.py", line 57, in handler\n    cursor.execute(sql, params)\n`,
          ],
        };
  } else if (fn.story.traffic === 'backend') {
    result = backendRequest(scenario, fn, executedVersion, payload, atMs, requestId);
  } else {
    result = {
      failed: false,
      payload: { status: 'ok', processed: 0 },
      lines: [`[INFO]\t${iso(atMs)}\t${requestId}\tjob=manual status=ok items=0\n`],
    };
  }
  const durationMs = Math.max(1, Math.round((performance.now() - started) * 100) / 100);
  // Recorded as ending now: the scenario clock may stand still while the query runs.
  const startMs = atMs - Math.ceil(durationMs);
  const resource = qualifier === undefined ? fn.story.name : `${fn.story.name}:${qualifier}`;
  const recorded: RecordedInvocation = {
    functionName: fn.story.name,
    startMs,
    durationMs,
    failed: result.failed,
    version: executedVersion,
    resource,
    requestId,
    memoryUsedMb: 88 + (Math.round(durationMs) % 12),
    lines: result.lines.map((message) => ({ offsetMs: Math.floor(durationMs * 0.8), message })),
  };
  if (options.record) scenario.recordInvocation(recorded);
  const log = [
    `START RequestId: ${requestId} Version: ${executedVersion}\n`,
    ...result.lines,
    `END RequestId: ${requestId}\n`,
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${fn.story.memoryMb} MB\tMax Memory Used: ${recorded.memoryUsedMb} MB\t\n`,
  ].join('');
  return {
    executedVersion,
    ...(result.failed ? { functionError: 'Unhandled' as const } : {}),
    payload: result.payload,
    log,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An API Gateway (HTTP API or REST) event in, a proxy response out. */
function backendRequest(
  scenario: Scenario,
  fn: LambdaFunction,
  version: string,
  payload: unknown,
  atMs: number,
  requestId: string,
): { failed: boolean; payload: unknown; lines: string[] } {
  const event = (typeof payload === 'object' && payload !== null ? payload : {}) as {
    rawPath?: string;
    path?: string;
    httpMethod?: string;
    requestContext?: { http?: { method?: string } };
  };
  const path = event.rawPath ?? event.path ?? '/api/v1/health';
  const method = event.requestContext?.http?.method ?? event.httpMethod ?? 'GET';
  const line = (status: number) => `[INFO]\t${iso(atMs)}\t${requestId}\t${method} ${path} ${status} 3ms\n`;
  const respond = (status: number, body: unknown) => ({
    failed: false,
    payload: {
      statusCode: status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    lines: [line(status)],
  });
  if (path === '/api/v1/health' || path === '/api/health') return respond(200, { status: 'ok', version });
  if (path === '/api/v1/notifications/preferences' && method === 'GET') {
    if (!scenario.readsNotificationPreferences(fn.story.name, version))
      return respond(404, { detail: 'Not Found' });
    if (scenario.notificationPreferencesMissingAt(atMs)) {
      const message =
        '(psycopg2.errors.UndefinedTable) relation "coordinator_notification_preferences" does not exist';
      return {
        failed: true,
        payload: { errorMessage: message, errorType: 'ProgrammingError', requestId, stackTrace: [] },
        lines: [`[ERROR]\t${iso(atMs)}\t${requestId}\tsqlalchemy.exc.ProgrammingError: ${message}\n`],
      };
    }
    return respond(200, { email_enabled: true, in_app_enabled: true, digest_frequency: 'real_time' });
  }
  return respond(404, { detail: 'Not Found' });
}
