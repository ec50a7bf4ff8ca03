import { describe, expect, it } from 'vitest';
import { invocationsInMinute, minuteMs } from './invocations.js';
import { logEventsBetween, renderInvocation } from './log-events.js';
import { MinuteTrafficCache, generateMinute } from './minute-traffic.js';
import { expectedPerMinute, notificationPreferencesRoute } from './profiles.js';
import type { TrafficFunction, TrafficWorld } from './world.js';

const backend: TrafficFunction = { name: 'backend-fn', profile: 'backend', memorySizeMb: 512, alias: 'prod' };
const start = Date.parse('2026-02-03T06:00:00.000Z');

/** A world where the table appears at `fixedAt` and the alias runs `version`. */
function world(options: { fixedAt?: number; version?: string; now?: number } = {}): TrafficWorld {
  return {
    functions: [backend],
    historyStartMs: () => start - 7 * 86_400_000,
    now: () => options.now ?? start + 3_600_000,
    aliasVersionAt: () => options.version ?? '14',
    aliasChangesBetween: () => [],
    notificationPreferencesMissingAt: (at) => options.fixedAt === undefined || at < options.fixedAt,
    readsNotificationPreferences: (_, version) => Number(version) >= 14,
    recordedBetween: () => [],
  };
}

describe('generated traffic', () => {
  it('is the same for the same function and minute', () => {
    expect(generateMinute('backend', 'a', start)).toEqual(generateMinute('backend', 'a', start));
    expect(generateMinute('backend', 'a', start).offsetsMs).not.toEqual(
      generateMinute('backend', 'a', start + minuteMs).offsetsMs,
    );
  });

  it('follows a daily shape: quieter at night (US), busier in the afternoon', () => {
    expect(expectedPerMinute('backend', Date.parse('2026-02-03T04:00:00Z'))).toBeCloseTo(100);
    expect(expectedPerMinute('backend', Date.parse('2026-02-03T16:00:00Z'))).toBeCloseTo(150);
    expect(expectedPerMinute('worker', Date.parse('2026-02-03T16:00:00Z'))).toBeCloseTo(20);
  });

  it('fails only the notification preferences requests, only while the table is missing', () => {
    const cache = new MinuteTrafficCache();
    const broken = invocationsInMinute(backend, start, world(), cache);
    const failed = broken.filter((i) => i.failed);
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failed.every(
        (i) =>
          i.what.kind === 'request' && i.what.route === notificationPreferencesRoute && i.what.status === 500,
      ),
    ).toBe(true);
    const fixedHalfway = invocationsInMinute(backend, start, world({ fixedAt: start + 30_000 }), cache);
    expect(fixedHalfway.filter((i) => i.failed).every((i) => i.startMs < start + 30_000)).toBe(true);
    expect(fixedHalfway.map((i) => i.startMs)).toEqual(broken.map((i) => i.startMs));
    // Version 13 has no such endpoint: a 404, not an error.
    const older = invocationsInMinute(backend, start, world({ version: '13' }), cache);
    expect(older.some((i) => i.failed)).toBe(false);
    expect(older.some((i) => i.what.kind === 'request' && i.what.status === 404)).toBe(true);
  });

  it('has no traffic in the future or before the history starts', () => {
    const cache = new MinuteTrafficCache();
    const w = world({ now: start + 20_000 });
    expect(invocationsInMinute(backend, start, w, cache).every((i) => i.startMs <= start + 20_000)).toBe(
      true,
    );
    expect(invocationsInMinute(backend, start + minuteMs, w, cache)).toEqual([]);
    expect(invocationsInMinute(backend, start - 8 * 86_400_000, w, cache)).toEqual([]);
  });
});

describe('log events', () => {
  it('writes START, the app line, END and REPORT for each invocation', () => {
    const [first] = invocationsInMinute(backend, start, world({ fixedAt: 0 }), new MinuteTrafficCache());
    const events = renderInvocation(first!);
    expect(events.map((e) => e.message.split(/[ \t]/)[0])).toEqual(['START', '[INFO]', 'END', 'REPORT']);
    expect(events[0]!.message).toBe(`START RequestId: ${events[2]!.message.slice(15, 51)} Version: 14\n`);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
  });

  it('comes in time order across minutes, including requests that end in the next minute', () => {
    const w = world();
    const cache = new MinuteTrafficCache();
    const events = [...logEventsBetween(backend, start, start + 3 * minuteMs, w, cache)];
    const ids = events.map((e) => e.eventId);
    expect(ids).toEqual([...ids].sort());
    expect(events.every((e) => e.timestamp >= start && e.timestamp < start + 3 * minuteMs)).toBe(true);
    // Every START in the window has its REPORT, unless the request ends after the window.
    const starts = events.filter((e) => e.message.startsWith('START')).length;
    const reports = events.filter((e) => e.message.startsWith('REPORT')).length;
    expect(Math.abs(starts - reports)).toBeLessThanOrEqual(2);
    // A narrower window is a slice of the wider one.
    const middle = [...logEventsBetween(backend, start + minuteMs, start + 2 * minuteMs, w, cache)].map(
      (e) => e.eventId,
    );
    expect(middle).toEqual(
      ids.filter(
        (_, i) => events[i]!.timestamp >= start + minuteMs && events[i]!.timestamp < start + 2 * minuteMs,
      ),
    );
  });
});
