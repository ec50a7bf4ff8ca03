import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { redactSecrets } from '@flightdeck/core';
import type { RawLogEvent } from '@flightdeck/core';
import { withBudgetTicket, type BudgetLane } from './call-budget.js';

/** One FilterLogEvents page, in the API's shape minus the SDK. */
export interface LogEventsPage {
  events: RawLogEvent[];
  nextToken?: string;
}

export interface LogEventsQuery {
  logGroupName: string;
  filterPattern: string;
  startTime: number;
  endTime: number;
  nextToken?: string;
}

/**
 * Reads one page of a log group's events; the budget is the reader's business. Aborting `signal`
 * gives up the call, queued or sent (nobody wants its lines any more).
 */
export type ReadLogEvents = (query: LogEventsQuery, signal?: AbortSignal) => Promise<LogEventsPage>;

/** The Lambda function's log group, where its lines go. */
export const lambdaLogGroup = (functionName: string) => `/aws/lambda/${functionName}`;

/**
 * One FilterLogEvents page as a tail reads it, secrets redacted; an empty pattern means every line.
 * `lane` says whose share of the call budget it spends (call-budget.ts): viewers' tails never
 * take the collectors' reserved share.
 */
export function filterLogEventsReader(
  logs: CloudWatchLogsClient,
  redact: (text: string) => string = redactSecrets,
  lane: BudgetLane = 'collector',
): ReadLogEvents {
  return async ({ logGroupName, filterPattern, startTime, endTime, nextToken }, signal) => {
    const input = withBudgetTicket(
      {
        logGroupName,
        filterPattern: filterPattern === '' ? undefined : filterPattern,
        startTime,
        endTime,
        nextToken,
      },
      { lane, signal },
    );
    const out = await logs.send(new FilterLogEventsCommand(input), signal ? { abortSignal: signal } : {});
    return {
      events: (out.events ?? []).map((e) => ({
        eventId: e.eventId ?? `${e.logStreamName}:${e.timestamp}:${e.message}`,
        timestamp: e.timestamp ?? 0,
        logStream: e.logStreamName ?? '',
        // Viewers see log lines; the secrets applications log must not reach them.
        message: redact(e.message ?? ''),
      })),
      nextToken: out.nextToken,
    };
  };
}
