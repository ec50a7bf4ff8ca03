import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { redactSecrets } from '@flightdeck/core';
import type { ReadLogEvents } from '../../modules/logs/log-tail.js';

/** One FilterLogEvents page as a tail reads it, secrets redacted; an empty pattern means every line. */
export function filterLogEventsReader(
  logs: CloudWatchLogsClient,
  redact: (text: string) => string = redactSecrets,
): ReadLogEvents {
  return async ({ logGroupName, filterPattern, startTime, endTime, nextToken }) => {
    const out = await logs.send(
      new FilterLogEventsCommand({
        logGroupName,
        filterPattern: filterPattern === '' ? undefined : filterPattern,
        startTime,
        endTime,
        nextToken,
      }),
    );
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
