import { uuidFrom } from '../scenario/prng.js';
import type { MinuteTraffic, MinuteTrafficCache } from './minute-traffic.js';
import { backendRoutes, notificationPreferencesRoute, workerJobs } from './profiles.js';
import type { RecordedInvocation, TrafficFunction, TrafficWorld } from './world.js';

export const minuteMs = 60_000;

/** One invocation as the scenario resolved it. */
export interface Invocation {
  functionName: string;
  /** Identifies it within its minute, for stable event ids. */
  minuteStartMs: number;
  index: number;
  startMs: number;
  durationMs: number;
  failed: boolean;
  version: string;
  resource: string;
  env: number;
  memoryUsedMb: number;
  memorySizeMb: number;
  what: GeneratedRequest | GeneratedJob | { kind: 'recorded'; recorded: RecordedInvocation };
}

interface GeneratedRequest {
  kind: 'request';
  route: number;
  status: number;
  detail: number;
}

interface GeneratedJob {
  kind: 'job';
  job: number;
  detail: number;
}

/** Recorded invocations are numbered after any generated one of the same minute. */
const recordedIndexBase = 100_000;

/** Float32 storage, two decimals on the way out. */
const twoDecimals = (value: number) => Math.round(value * 100) / 100;

export interface GeneratedVisit {
  minute: MinuteTraffic;
  index: number;
  startMs: number;
  durationMs: number;
  version: string;
  failed: boolean;
  /** HTTP status for backend requests, 0 for jobs. */
  status: number;
}

/**
 * Walks the generated invocations started in one minute, each resolved against the world at
 * its own start time: the same minute always gives the same requests; only what the
 * scenario changed (a missing table, the alias's version) differs. Metrics use this lean
 * path; logs build full Invocation objects from it.
 */
export function visitGeneratedMinute(
  fn: TrafficFunction,
  minuteStartMs: number,
  world: TrafficWorld,
  cache: MinuteTrafficCache,
  visit: (v: GeneratedVisit) => void,
): void {
  if (fn.profile !== 'backend' && fn.profile !== 'worker') return;
  const now = world.now();
  const historyStart = world.historyStartMs();
  if (minuteStartMs + minuteMs <= historyStart || minuteStartMs > now) return;
  const minute = cache.get(fn.profile, fn.name, minuteStartMs);
  const versions = new VersionLookup(fn.name, minuteStartMs, world);
  const missing = new MissingTableLookup(minuteStartMs, world);
  const readsPreferences = new Map<string, boolean>();
  const visitArgs: GeneratedVisit = {
    minute,
    index: 0,
    startMs: 0,
    durationMs: 0,
    version: '',
    failed: false,
    status: 0,
  };
  for (let i = 0; i < minute.count; i++) {
    const startMs = minuteStartMs + minute.offsetsMs[i]!;
    if (startMs > now || startMs < historyStart) continue;
    const version = versions.at(startMs);
    let failed = false;
    let status = 0;
    if (fn.profile === 'backend') {
      const kind = minute.kinds[i]!;
      status = backendRoutes[kind]!.status;
      if (kind === notificationPreferencesRoute) {
        let reads = readsPreferences.get(version);
        if (reads === undefined)
          readsPreferences.set(version, (reads = world.readsNotificationPreferences(fn.name, version)));
        if (!reads) status = 404;
        else if (missing.at(startMs)) {
          failed = true;
          status = 500;
        }
      }
    }
    visitArgs.index = i;
    visitArgs.startMs = startMs;
    visitArgs.durationMs = twoDecimals(failed ? minute.failureDurationsMs[i]! : minute.durationsMs[i]!);
    visitArgs.version = version;
    visitArgs.failed = failed;
    visitArgs.status = status;
    visit(visitArgs);
  }
}

/** Invocations started in one minute (generated and recorded), in start order. */
export function invocationsInMinute(
  fn: TrafficFunction,
  minuteStartMs: number,
  world: TrafficWorld,
  cache: MinuteTrafficCache,
): Invocation[] {
  const out: Invocation[] = [];
  const resource = `${fn.name}:${fn.alias}`;
  visitGeneratedMinute(fn, minuteStartMs, world, cache, (v) => {
    const detail = v.minute.details[v.index]!;
    const kind = v.minute.kinds[v.index]!;
    out.push({
      functionName: fn.name,
      minuteStartMs,
      index: v.index,
      startMs: v.startMs,
      durationMs: v.durationMs,
      failed: v.failed,
      version: v.version,
      resource,
      env: v.minute.envs[v.index]!,
      memoryUsedMb: v.minute.memoryUsedMb[v.index]!,
      memorySizeMb: fn.memorySizeMb,
      what:
        fn.profile === 'backend'
          ? { kind: 'request', route: kind, status: v.status, detail }
          : { kind: 'job', job: kind, detail },
    });
  });
  const now = world.now();
  if (minuteStartMs > now) return out;
  const recorded = world.recordedBetween(fn.name, minuteStartMs, Math.min(minuteStartMs + minuteMs, now + 1));
  recorded.forEach((r, i) => {
    out.push({
      functionName: fn.name,
      minuteStartMs,
      index: recordedIndexBase + i,
      startMs: r.startMs,
      durationMs: r.durationMs,
      failed: r.failed,
      version: r.version,
      resource: r.resource,
      env: 0,
      memoryUsedMb: r.memoryUsedMb,
      memorySizeMb: fn.memorySizeMb,
      what: { kind: 'recorded', recorded: r },
    });
  });
  if (recorded.length > 0) out.sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  return out;
}

export function requestIdOf(invocation: Invocation): string {
  if (invocation.what.kind === 'recorded') return invocation.what.recorded.requestId;
  return uuidFrom(`${invocation.functionName}|${invocation.minuteStartMs}|${invocation.index}`);
}

export function describeJob(job: number): string {
  return workerJobs[job]?.name ?? 'unknown_job';
}

/** Alias version within a minute: one timeline lookup unless the alias moved during it. */
class VersionLookup {
  private readonly constant: string | undefined;

  constructor(
    private readonly functionName: string,
    minuteStartMs: number,
    private readonly world: TrafficWorld,
  ) {
    const changes = world.aliasChangesBetween(functionName, minuteStartMs, minuteStartMs + minuteMs);
    this.constant = changes.length === 0 ? world.aliasVersionAt(functionName, minuteStartMs) : undefined;
  }

  at(atMs: number): string {
    return this.constant ?? this.world.aliasVersionAt(this.functionName, atMs);
  }
}

class MissingTableLookup {
  private readonly atStart: boolean;
  private readonly atEnd: boolean;

  constructor(
    private readonly minuteStartMs: number,
    private readonly world: TrafficWorld,
  ) {
    this.atStart = world.notificationPreferencesMissingAt(minuteStartMs);
    this.atEnd = world.notificationPreferencesMissingAt(minuteStartMs + minuteMs - 1);
  }

  at(atMs: number): boolean {
    return this.atStart === this.atEnd ? this.atStart : this.world.notificationPreferencesMissingAt(atMs);
  }
}
