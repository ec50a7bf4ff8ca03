import { hashString, hexFrom } from '../scenario/prng.js';
import type { MinuteTrafficCache } from './minute-traffic.js';
import { describeJob, invocationsInMinute, minuteMs, requestIdOf, type Invocation } from './invocations.js';
import { backendRoutes } from './profiles.js';
import { environmentLifetimeMs } from './profiles.js';
import type { TrafficFunction, TrafficWorld } from './world.js';

export interface LogEvent {
  timestamp: number;
  /** 56 digits starting with the timestamp, so string order is time order. */
  eventId: string;
  logStreamName: string;
  message: string;
  ingestionTime: number;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

const streamNames = new Map<string, string>();

/** Lambda names a stream after the day its environment started, the version it runs and a random id. */
export function streamNameOf(functionName: string, version: string, env: number, atMs: number): string {
  const windowStart = Math.floor(atMs / environmentLifetimeMs) * environmentLifetimeMs;
  const key = `${functionName}|${windowStart}|${version}|${env}`;
  let name = streamNames.get(key);
  if (name === undefined) {
    const day = new Date(windowStart).toISOString().slice(0, 10).replaceAll('-', '/');
    name = `${day}/[${version}]${hexFrom(key, 32)}`;
    if (streamNames.size > 50_000) streamNames.clear();
    streamNames.set(key, name);
  }
  return name;
}

const functionDigits = new Map<string, string>();

/** 16 digits that tell functions apart inside event ids. */
function digitsOf(functionName: string): string {
  let digits = functionDigits.get(functionName);
  if (digits === undefined)
    functionDigits.set(
      functionName,
      (digits = String(hashString(functionName)).padStart(16, '0').slice(0, 16)),
    );
  return digits;
}

export function invocationStream(inv: Invocation): string {
  return streamNameOf(inv.functionName, inv.version, inv.env, inv.startMs);
}

/** The lines one invocation writes, as a Python Lambda writes them. */
export function renderInvocation(inv: Invocation): LogEvent[] {
  const requestId = requestIdOf(inv);
  const stream = invocationStream(inv);
  const endMs = inv.startMs + Math.ceil(inv.durationMs);
  const appMs = inv.startMs + Math.floor(inv.durationMs * 0.8);
  const lines: [number, string][] = [
    [inv.startMs, `START RequestId: ${requestId} Version: ${inv.version}\n`],
  ];
  const app = (atMs: number, level: 'INFO' | 'ERROR' | 'WARNING', text: string) =>
    lines.push([atMs, `[${level}]\t${new Date(atMs).toISOString()}\t${requestId}\t${text}\n`]);
  const what = inv.what;
  if (what.kind === 'request') {
    const route = backendRoutes[what.route]!;
    const path = route.path.replace('{id}', String((what.detail % 240) + 1));
    if (inv.failed)
      app(
        appMs,
        'ERROR',
        undefinedTableTraceback(path, coordinatorIds[what.detail % coordinatorIds.length]!),
      );
    app(appMs, 'INFO', `${route.method} ${path} ${what.status} ${Math.max(1, Math.round(inv.durationMs))}ms`);
  } else if (what.kind === 'job') {
    app(
      appMs,
      'INFO',
      `job=${describeJob(what.job)} status=ok items=${what.detail % 40} took=${Math.round(inv.durationMs)}ms`,
    );
  } else {
    for (const line of what.recorded.lines) lines.push([inv.startMs + line.offsetMs, line.message]);
  }
  lines.push([endMs, `END RequestId: ${requestId}\n`]);
  lines.push([
    endMs,
    `REPORT RequestId: ${requestId}\tDuration: ${inv.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(inv.durationMs))} ms\tMemory Size: ${inv.memorySizeMb} MB\tMax Memory Used: ${inv.memoryUsedMb} MB\t\n`,
  ]);
  const idTail = `${String((inv.minuteStartMs / minuteMs) % 1e6).padStart(6, '0')}${String(inv.index).padStart(6, '0')}`;
  const idEnd = `${digitsOf(inv.functionName)}0000000000`;
  // Ingestion lags the event by a fraction of a second, varying per invocation.
  const lag = 150 + (parseInt(requestId.slice(0, 6), 16) % 600);
  return lines.map(([timestamp, message], line) => ({
    timestamp,
    eventId: `${String(timestamp).padStart(16, '0')}${idTail}${line < 10 ? '0' : ''}${line}${idEnd}`,
    logStreamName: stream,
    message,
    ingestionTime: timestamp + lag + line * 3,
  }));
}

const coordinatorIds = [5, 6, 4];

function undefinedTableTraceback(path: string, userId: number): string {
  const relation = 'relation "coordinator_notification_preferences" does not exist';
  const pointer = 'LINE 2: FROM coordinator_notification_preferences \n             ^\n';
  return [
    `Exception on ${path} [GET]`,
    'Traceback (most recent call last):',
    '  File "/var/task/sqlalchemy/engine/base.py", line 1967, in _exec_single_context',
    '    self.dialect.do_execute(',
    '  File "/var/task/sqlalchemy/engine/default.py", line 924, in do_execute',
    '    cursor.execute(statement, parameters)',
    `psycopg2.errors.UndefinedTable: ${relation}`,
    pointer,
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/var/task/app/api/v1/notifications.py", line 48, in get_preferences',
    '    prefs = preferences_repo.get_for_coordinator(db, coordinator_user_id=user.id)',
    '  File "/var/task/app/repositories/notification_preferences.py", line 21, in get_for_coordinator',
    '    return db.query(CoordinatorNotificationPreference).filter_by(coordinator_user_id=coordinator_user_id).first()',
    '  File "/var/task/sqlalchemy/orm/query.py", line 2728, in first',
    '    return self.limit(1)._iter().first()  # type: ignore',
    `sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) ${relation}`,
    pointer,
    '[SQL: SELECT coordinator_notification_preferences.id AS coordinator_notification_preferences_id, coordinator_notification_preferences.coordinator_user_id AS coordinator_notification_preferences_coordinator_user_id, coordinator_notification_preferences.email_enabled AS coordinator_notification_preferences_email_enabled ',
    'FROM coordinator_notification_preferences ',
    'WHERE coordinator_notification_preferences.coordinator_user_id = %(coordinator_user_id_1)s ',
    ' LIMIT %(param_1)s]',
    `[parameters: {'coordinator_user_id_1': ${userId}, 'param_1': 1}]`,
    '(Background on this error at: https://sqlalche.me/e/20/f405)',
  ].join('\n');
}

export interface EventScan {
  /** Only invocations for which this holds are rendered (e.g. one stream). */
  acceptInvocation?: (inv: Invocation) => boolean;
}

/**
 * A function's log events with timestamps in [fromMs, toMs), in (timestamp, eventId) order,
 * produced a minute at a time; an invocation near the end of a minute may log in the next.
 */
export function* logEventsBetween(
  fn: TrafficFunction,
  fromMs: number,
  toMs: number,
  world: TrafficWorld,
  cache: MinuteTrafficCache,
  scan: EventScan = {},
): Generator<LogEvent> {
  const start = Math.max(fromMs, world.historyStartMs());
  const end = Math.min(toMs, world.now() + 1);
  if (start >= end) return;
  const accept = scan.acceptInvocation ?? (() => true);
  const firstMinute = Math.floor(start / minuteMs) * minuteMs;
  let previous = invocationsInMinute(fn, firstMinute - minuteMs, world, cache);
  for (let minute = firstMinute; minute < end; minute += minuteMs) {
    const current = invocationsInMinute(fn, minute, world, cache);
    const events: LogEvent[] = [];
    const minuteEnd = minute + minuteMs;
    for (const inv of previous) {
      if (inv.startMs + inv.durationMs + 1 < minute || !accept(inv)) continue;
      for (const e of renderInvocation(inv))
        if (e.timestamp >= minute && e.timestamp >= start && e.timestamp < end) events.push(e);
    }
    for (const inv of current) {
      if (!accept(inv)) continue;
      for (const e of renderInvocation(inv))
        if (e.timestamp < minuteEnd && e.timestamp >= start && e.timestamp < end) events.push(e);
    }
    events.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    yield* events;
    previous = current;
  }
}
