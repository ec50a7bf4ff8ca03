import type { MinuteTrafficCache } from './minute-traffic.js';
import { invocationsInMinute, minuteMs, type Invocation } from './invocations.js';
import { invocationStream, renderInvocation } from './log-events.js';
import { environmentLifetimeMs, environments } from './profiles.js';
import type { TrafficFunction, TrafficWorld } from './world.js';

export interface LogStreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp: number;
  lastEventTimestamp: number;
  lastIngestionTime: number;
  /** Where its events can be: one environment of one version within one lifetime window. */
  fromMs: number;
  toMs: number;
  version: string;
  env: number;
}

/**
 * The streams of a function's log group: one per execution environment, per version the
 * alias ran, per environment lifetime window; plus those of real Invoke calls.
 */
export function logStreamsOf(
  fn: TrafficFunction,
  world: TrafficWorld,
  cache: MinuteTrafficCache,
): LogStreamInfo[] {
  const now = world.now();
  const streams = new Map<string, LogStreamInfo>();
  if (fn.profile !== 'on-demand') {
    const first = Math.floor(world.historyStartMs() / environmentLifetimeMs) * environmentLifetimeMs;
    for (let window = first; window <= now; window += environmentLifetimeMs) {
      const windowEnd = Math.min(window + environmentLifetimeMs, now + 1);
      const from = Math.max(window, world.historyStartMs());
      const cuts = [from, ...world.aliasChangesBetween(fn.name, from + 1, windowEnd), windowEnd];
      for (let s = 0; s + 1 < cuts.length; s++) {
        const segmentStart = cuts[s]!;
        const segmentEnd = cuts[s + 1]!;
        const version = world.aliasVersionAt(fn.name, segmentStart);
        for (let env = 0; env < environments[fn.profile]; env++) {
          const info = scanStream(fn, version, env, segmentStart, segmentEnd, world, cache);
          if (info) merge(streams, info);
        }
      }
    }
  }
  for (const recorded of world.recordedBetween(fn.name, world.historyStartMs(), now + 1)) {
    const inv = invocationsInMinute(
      fn,
      Math.floor(recorded.startMs / minuteMs) * minuteMs,
      world,
      cache,
    ).find((i) => i.what.kind === 'recorded' && i.what.recorded === recorded);
    if (!inv) continue;
    const windowStart = Math.floor(inv.startMs / environmentLifetimeMs) * environmentLifetimeMs;
    merge(streams, fromInvocations(inv, inv, windowStart, windowStart + environmentLifetimeMs));
  }
  return [...streams.values()];
}

function merge(streams: Map<string, LogStreamInfo>, info: LogStreamInfo): void {
  const existing = streams.get(info.logStreamName);
  if (!existing) {
    streams.set(info.logStreamName, info);
    return;
  }
  existing.creationTime = Math.min(existing.creationTime, info.creationTime);
  existing.firstEventTimestamp = Math.min(existing.firstEventTimestamp, info.firstEventTimestamp);
  existing.lastEventTimestamp = Math.max(existing.lastEventTimestamp, info.lastEventTimestamp);
  existing.lastIngestionTime = Math.max(existing.lastIngestionTime, info.lastIngestionTime);
  existing.fromMs = Math.min(existing.fromMs, info.fromMs);
  existing.toMs = Math.max(existing.toMs, info.toMs);
}

/** First and last invocation of one environment in a segment, found from both ends. */
function scanStream(
  fn: TrafficFunction,
  version: string,
  env: number,
  fromMs: number,
  toMs: number,
  world: TrafficWorld,
  cache: MinuteTrafficCache,
): LogStreamInfo | undefined {
  const belongs = (inv: Invocation) =>
    inv.env === env &&
    inv.version === version &&
    inv.what.kind !== 'recorded' &&
    inv.startMs >= fromMs &&
    inv.startMs < toMs;
  let firstInv: Invocation | undefined;
  for (let minute = Math.floor(fromMs / minuteMs) * minuteMs; minute < toMs && !firstInv; minute += minuteMs)
    firstInv = invocationsInMinute(fn, minute, world, cache).find(belongs);
  if (!firstInv) return undefined;
  let lastInv: Invocation | undefined;
  for (
    let minute = Math.floor((toMs - 1) / minuteMs) * minuteMs;
    minute >= fromMs - minuteMs && !lastInv;
    minute -= minuteMs
  )
    lastInv = invocationsInMinute(fn, minute, world, cache).findLast(belongs);
  return fromInvocations(firstInv, lastInv ?? firstInv, fromMs, toMs);
}

function fromInvocations(first: Invocation, last: Invocation, fromMs: number, toMs: number): LogStreamInfo {
  const firstEvents = renderInvocation(first);
  const lastEvents = renderInvocation(last);
  const lastEvent = lastEvents[lastEvents.length - 1]!;
  return {
    logStreamName: invocationStream(first),
    creationTime: first.startMs - 180, // the environment starts just before its first request
    firstEventTimestamp: firstEvents[0]!.timestamp,
    lastEventTimestamp: lastEvent.timestamp,
    lastIngestionTime: lastEvent.ingestionTime,
    fromMs,
    toMs,
    version: first.version,
    env: first.env,
  };
}
