import { hashString } from '../scenario/prng.js';
import type { Scenario } from '../scenario/scenario.js';
import { accountId, region } from '../story.js';
import { FilterPatternError, matchesFilter, parseFilterPattern } from '../traffic/filter-pattern.js';
import { invocationStream, logEventsBetween, logGroupName, type LogEvent } from '../traffic/log-events.js';
import { logStreamsOf, type LogStreamInfo } from '../traffic/log-streams.js';
import type { TrafficFunction } from '../traffic/world.js';
import { AwsApiError } from './aws-error.js';
import {
  decodeToken,
  encodeToken,
  JsonFields,
  type JsonInput,
  type JsonRpcService,
} from './json-protocol.js';

const invalid = (message: string) => new AwsApiError('InvalidParameterException', 400, message);
const maxLimit = 10_000;
/**
 * Like CloudWatch, FilterLogEvents searches a bounded slice per call and hands back a token
 * to continue, even with fewer events than the limit; this keeps every call fast.
 */
export const scanBudgetEvents = 100_000;

interface Cursor {
  ts: number;
  id: string;
}

interface FilterToken {
  after: Cursor;
  /** End of the search, fixed at the first page so later pages see the same events. */
  end: number;
  request: number;
}

export function cloudWatchLogsService(scenario: Scenario): JsonRpcService {
  return {
    service: 'CloudWatchLogs',
    targetPrefix: 'Logs_20140328',
    jsonVersion: '1.1',
    namespace: 'com.amazonaws.cloudwatchlogs',
    queryCompatible: false,
    operations: {
      FilterLogEvents: (input) => filterLogEvents(scenario, input),
      GetLogEvents: (input) => getLogEvents(scenario, input),
      DescribeLogStreams: (input) => describeLogStreams(scenario, input),
    },
  };
}

function logGroupFunction(scenario: Scenario, fields: JsonFields): TrafficFunction {
  const name = fields.string('logGroupName');
  const identifier = fields.string('logGroupIdentifier');
  if (name !== undefined && identifier !== undefined)
    throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  const group = name ?? identifier?.replace(/^arn:aws:logs:[^:]*:\d+:log-group:/, '').replace(/:\*$/, '');
  if (group === undefined) throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  const fn = scenario.functions.find((f) => logGroupName(f.name) === group);
  if (!fn) throw new AwsApiError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
  return fn;
}

function limitOf(fields: JsonFields): number {
  const limit = fields.number('limit') ?? maxLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw invalid(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${maxLimit}`,
    );
  return limit;
}

function after(event: LogEvent, cursor: Cursor): boolean {
  return event.timestamp > cursor.ts || (event.timestamp === cursor.ts && event.eventId > cursor.id);
}

function before(event: LogEvent, cursor: Cursor): boolean {
  return event.timestamp < cursor.ts || (event.timestamp === cursor.ts && event.eventId < cursor.id);
}

function filterLogEvents(scenario: Scenario, input: JsonInput) {
  const fields = new JsonFields(input, invalid);
  const fn = logGroupFunction(scenario, fields);
  const streamNames = fields.strings('logStreamNames');
  const streamPrefix = fields.string('logStreamNamePrefix');
  if (streamNames !== undefined && streamPrefix !== undefined)
    throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  if (streamNames !== undefined && (streamNames.length === 0 || streamNames.length > 100))
    throw invalid('logStreamNames must hold 1 to 100 names.');
  const limit = limitOf(fields);
  const pattern = fields.string('filterPattern');
  let filter;
  try {
    filter = parseFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalid(error.message);
    throw error;
  }
  const askedStart = fields.number('startTime') ?? 0;
  const askedEnd = fields.number('endTime');
  if (askedEnd !== undefined && askedEnd < askedStart)
    throw invalid('endTime must be greater than or equal to startTime.');
  // While the clock is paused, answered as of the paused moment (scenario.pauseClock).
  const paused = scenario.pausedForMs();
  const startTime = askedStart - paused;
  const requestedEnd = askedEnd === undefined ? undefined : askedEnd - paused;

  const request = hashString(
    JSON.stringify([fn.name, streamNames, streamPrefix, pattern, askedStart, askedEnd]),
  );
  const token = fields.string('nextToken');
  let state: FilterToken = {
    after: { ts: -1, id: '' },
    end: Math.min(requestedEnd ?? Infinity, scenario.now()) + 1,
    request,
  };
  if (token !== undefined) {
    const decoded = decodeToken<FilterToken>(token);
    if (!decoded || decoded.request !== request) throw invalid('The specified nextToken is invalid.');
    state = decoded;
  }

  const wanted = streamNames ? new Set(streamNames) : undefined;
  const acceptInvocation =
    wanted || streamPrefix
      ? (inv: Parameters<typeof invocationStream>[0]) => {
          const stream = invocationStream(inv);
          return wanted ? wanted.has(stream) : stream.startsWith(streamPrefix!);
        }
      : undefined;
  const events: LogEvent[] = [];
  let scanned = 0;
  let last: Cursor | undefined;
  const from = Math.max(startTime, state.after.ts);
  for (const event of logEventsBetween(
    fn,
    from,
    state.end,
    scenario,
    scenario.trafficCache,
    acceptInvocation ? { acceptInvocation } : {},
  )) {
    if (!after(event, state.after)) continue;
    scanned++;
    last = { ts: event.timestamp, id: event.eventId };
    if (matchesFilter(filter, event.message)) events.push(event);
    if (events.length >= limit || scanned >= scanBudgetEvents) break;
  }
  // More may follow unless the scan ran to the end of the range.
  const exhausted = last === undefined || (events.length < limit && scanned < scanBudgetEvents);
  return {
    events: events.map((e) => ({
      logStreamName: e.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: e.eventId,
    })),
    searchedLogStreams: [],
    ...(exhausted ? {} : { nextToken: encodeToken({ ...state, after: last }) }),
  };
}

function findStream(scenario: Scenario, fn: TrafficFunction, name: string): LogStreamInfo {
  const stream = logStreamsOf(fn, scenario, scenario.trafficCache).find((s) => s.logStreamName === name);
  if (!stream)
    throw new AwsApiError('ResourceNotFoundException', 400, 'The specified log stream does not exist.');
  return stream;
}

interface StreamToken {
  direction: 'f' | 'b';
  cursor: Cursor;
}

function getLogEvents(scenario: Scenario, input: JsonInput) {
  const fields = new JsonFields(input, invalid);
  const fn = logGroupFunction(scenario, fields);
  const streamName = fields.string('logStreamName');
  if (streamName === undefined) throw invalid('logStreamName is required.');
  const stream = findStream(scenario, fn, streamName);
  const limit = limitOf(fields);
  const startTime = fields.number('startTime') ?? stream.fromMs;
  const endTime = fields.number('endTime') ?? Infinity;
  const all = [
    ...logEventsBetween(
      fn,
      Math.max(startTime, stream.fromMs - 60_000),
      Math.min(endTime, stream.toMs + 60_000),
      scenario,
      scenario.trafficCache,
      {
        acceptInvocation: (inv) => invocationStream(inv) === streamName,
      },
    ),
  ];
  const tokenText = fields.string('nextToken');
  let page: LogEvent[];
  if (tokenText !== undefined) {
    const token = decodeToken<StreamToken>(tokenText.replace(/^[fb]\//, ''));
    if (!token) throw invalid('The specified nextToken is invalid.');
    if (token.direction === 'f') page = all.filter((e) => after(e, token.cursor)).slice(0, limit);
    else page = all.filter((e) => before(e, token.cursor)).slice(-limit);
    // At either end, AWS hands back the token it was given.
    if (page.length === 0) return { events: [], nextForwardToken: tokenText, nextBackwardToken: tokenText };
  } else {
    page = fields.boolean('startFromHead') ? all.slice(0, limit) : all.slice(-limit);
  }
  const first = page[0];
  const last = page[page.length - 1];
  const edge = (direction: 'f' | 'b', event: LogEvent | undefined, fallback: Cursor) =>
    `${direction}/${encodeToken({ direction, cursor: event ? { ts: event.timestamp, id: event.eventId } : fallback })}`;
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: edge('f', last, { ts: Number.MAX_SAFE_INTEGER, id: '' }),
    nextBackwardToken: edge('b', first, { ts: -1, id: '' }),
  };
}

function describeLogStreams(scenario: Scenario, input: JsonInput) {
  const fields = new JsonFields(input, invalid);
  const fn = logGroupFunction(scenario, fields);
  const prefix = fields.string('logStreamNamePrefix');
  const orderBy = fields.string('orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime')
    throw invalid(
      `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`,
    );
  if (prefix !== undefined && orderBy === 'LastEventTime')
    throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
  const descending = fields.boolean('descending') ?? false;
  const limit = fields.number('limit') ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw invalid('limit must be between 1 and 50.');
  const offset =
    fields.string('nextToken') === undefined
      ? 0
      : decodeToken<{ offset: number }>(fields.string('nextToken')!)?.offset;
  if (offset === undefined || !Number.isInteger(offset)) throw invalid('The specified nextToken is invalid.');

  const streams = logStreamsOf(fn, scenario, scenario.trafficCache).filter(
    (s) => prefix === undefined || s.logStreamName.startsWith(prefix),
  );
  streams.sort((a, b) =>
    orderBy === 'LastEventTime'
      ? a.lastEventTimestamp - b.lastEventTimestamp || a.logStreamName.localeCompare(b.logStreamName)
      : a.logStreamName < b.logStreamName
        ? -1
        : a.logStreamName > b.logStreamName
          ? 1
          : 0,
  );
  if (descending) streams.reverse();
  const page = streams.slice(offset, offset + limit);
  const groupArn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName(fn.name)}`;
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.logStreamName,
      creationTime: s.creationTime,
      firstEventTimestamp: s.firstEventTimestamp,
      lastEventTimestamp: s.lastEventTimestamp,
      lastIngestionTime: s.lastIngestionTime,
      arn: `${groupArn}:log-stream:${s.logStreamName}`,
      storedBytes: 0,
    })),
    ...(offset + limit < streams.length ? { nextToken: encodeToken({ offset: offset + limit }) } : {}),
  };
}
