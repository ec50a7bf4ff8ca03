import { describe, expect, it } from 'vitest';
import type { LogEventsQuery, ReadLogEvents } from '../../platform/upstreams/log-events-reader.js';
import { countSchemaErrorsSince } from './schema-error-count.js';

const t = (hhmmss: string) => Date.parse(`2026-02-03T${hhmmss}.000Z`);
const missing = 'psycopg2.errors.UndefinedColumn: column "digest_hour" does not exist';

/** A log group as FilterLogEvents answers it: the events in the asked range, one page. */
function logGroup(events: Array<{ id: string; at: number; message: string }>) {
  const queries: LogEventsQuery[] = [];
  let failing: Error | null = null;
  const read: ReadLogEvents = async (query) => {
    queries.push(query);
    if (failing) throw failing;
    return {
      events: events
        .filter((e) => e.at >= query.startTime && e.at <= query.endTime)
        .map((e) => ({ eventId: e.id, timestamp: e.at, logStream: 's', message: e.message })),
    };
  };
  return {
    read,
    queries,
    events,
    fail: (error: Error | null) => {
      failing = error;
    },
  };
}

describe('the running count of schema errors since the migration', () => {
  const since = '2026-02-03T06:31:00.000Z';
  const deps = (read: ReadLogEvents) => ({
    read,
    functionNames: ['api'],
    pattern: '?ERROR ?"does not exist"',
    overlapMs: 15_000,
  });

  it('counts only schema errors after the migration, each once, across reads that overlap', async () => {
    const group = logGroup([
      { id: 'before', at: t('06:30:00'), message: missing },
      { id: 'a', at: t('06:35:00'), message: missing },
      { id: 'other', at: t('06:35:10'), message: 'ERROR RuntimeError: upstream answered 502' },
    ]);
    const first = await countSchemaErrorsSince(deps(group.read), null, since, new Date(t('06:40:00')));
    expect(first).toMatchObject({ error: null, tally: { count: 1, countedTo: '2026-02-03T06:40:00.000Z' } });
    // A line ingested late (stamped before the last read's end) and a new one: each counted once.
    group.events.push({ id: 'late', at: t('06:39:55'), message: missing });
    group.events.push({ id: 'b', at: t('06:41:00'), message: missing });
    const second = await countSchemaErrorsSince(
      deps(group.read),
      first.tally,
      since,
      new Date(t('06:42:00')),
    );
    expect(second.tally.count).toBe(3);
    expect(group.queries.at(-1)).toMatchObject({ startTime: t('06:39:45'), endTime: t('06:42:00') });
    const third = await countSchemaErrorsSince(
      deps(group.read),
      second.tally,
      since,
      new Date(t('06:42:05')),
    );
    expect(third.tally.count).toBe(3);
    // Only what the next overlap can re-read is remembered.
    expect(third.tally.recent.map((r) => r.id)).toEqual([]);
  });

  it('keeps the previous count with the read’s error when the logs cannot be read', async () => {
    const group = logGroup([{ id: 'a', at: t('06:35:00'), message: missing }]);
    const first = await countSchemaErrorsSince(deps(group.read), null, since, new Date(t('06:40:00')));
    group.fail(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const failed = await countSchemaErrorsSince(
      deps(group.read),
      first.tally,
      since,
      new Date(t('06:41:00')),
    );
    expect(failed.tally).toEqual(first.tally);
    expect(failed.error).toMatchObject({ code: 'ThrottlingException', message: 'Rate exceeded' });
  });

  it('starts again from a new start (a tally of another migration time is not this one’s)', async () => {
    const group = logGroup([{ id: 'a', at: t('06:35:00'), message: missing }]);
    const old = await countSchemaErrorsSince(deps(group.read), null, since, new Date(t('06:40:00')));
    const again = await countSchemaErrorsSince(
      deps(group.read),
      old.tally,
      '2026-02-03T06:36:00.000Z',
      new Date(t('06:40:00')),
    );
    expect(again.tally).toMatchObject({ count: 0, since: '2026-02-03T06:36:00.000Z' });
  });
});
