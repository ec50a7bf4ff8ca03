// The running count behind "no schema errors since the migration": the schema errors in the
// functions' log groups from the migration on, read a little at a time (FilterLogEvents from where
// the last read stopped, reaching back an overlap for lines CloudWatch ingests late, deduplicated
// by event id) and kept with the deploy, so errors that leave the logs panel's window still count.
import type { SourceError } from '@flightdeck/contracts';
import { matchSchemaError } from '@flightdeck/core';
import { describeError } from '../../platform/sources/collector.js';
import { lambdaLogGroup, type ReadLogEvents } from '../../platform/upstreams/log-events-reader.js';
import type { SchemaErrorTally } from './store/deploy-repository.js';

/** Pages read per log group and count: an error storm costs a bounded number of calls. */
const maxPagesPerGroup = 10;

export interface SchemaErrorCounterDeps {
  /** FilterLogEvents pages; the logs call budget is spent by the client (app.upstreams.logsBudget). */
  read: ReadLogEvents;
  functionNames: string[];
  /** The logs panel's filter pattern (logs.errorPattern): schema errors are among the lines it matches. */
  pattern: string;
  /** How far each read reaches back before where the last stopped (logs.tailOverlapSeconds). */
  overlapMs: number;
}

export interface CountResult {
  tally: SchemaErrorTally;
  /** The read's error: the tally is the previous one, as of its `countedTo`. */
  error: SourceError | null;
}

/**
 * Counts the schema errors logged after `previous.countedTo` (or after `since` on the first count)
 * up to `now`, adding them to the previous count. A failed read leaves the previous tally.
 */
export async function countSchemaErrorsSince(
  deps: SchemaErrorCounterDeps,
  previous: SchemaErrorTally | null,
  since: string,
  now: Date,
): Promise<CountResult> {
  const sinceMs = Date.parse(since);
  // A tally of another start (a deploy whose watch started again) is not this one's.
  const base: SchemaErrorTally =
    previous && previous.since === since ? previous : { count: 0, since, countedTo: since, recent: [] };
  const endMs = Math.max(now.getTime(), Date.parse(base.countedTo));
  const fromMs = Math.max(sinceMs, Date.parse(base.countedTo) - deps.overlapMs);
  const seen = new Set(base.recent.map((r) => r.id));
  const counted: Array<{ id: string; t: number }> = [];
  try {
    for (const functionName of deps.functionNames) {
      let nextToken: string | undefined;
      let page = 0;
      do {
        const out = await deps.read({
          logGroupName: lambdaLogGroup(functionName),
          filterPattern: deps.pattern,
          startTime: fromMs,
          endTime: endMs,
          nextToken,
        });
        for (const e of out.events) {
          if (e.timestamp < sinceMs || seen.has(e.eventId) || !matchSchemaError(e.message)) continue;
          seen.add(e.eventId);
          counted.push({ id: e.eventId, t: e.timestamp });
        }
        nextToken = out.nextToken;
      } while (nextToken && ++page < maxPagesPerGroup);
    }
  } catch (error) {
    return { tally: base, error: describeError(error, now) };
  }
  const keepFrom = endMs - deps.overlapMs;
  return {
    tally: {
      count: base.count + counted.length,
      since,
      countedTo: new Date(endMs).toISOString(),
      recent: [...base.recent, ...counted].filter((r) => r.t >= keepFrom),
    },
    error: null,
  };
}
