import { SeededRandom } from '../scenario/prng.js';
import {
  backendRoutes,
  cumulative,
  environments,
  expectedPerMinute,
  notificationPreferencesRoute,
  workerJobs,
} from './profiles.js';

/**
 * One minute of a function's generated traffic, in compact arrays. It depends only on the
 * function and the minute (never on the scenario's state), so it can be cached and reused;
 * what the state changes (failure, version) is resolved per invocation from its time.
 */
export interface MinuteTraffic {
  count: number;
  offsetsMs: Uint16Array;
  /** Route index (backend) or job index (worker). */
  kinds: Uint8Array;
  envs: Uint8Array;
  durationsMs: Float32Array;
  /** Duration had the request failed (exception, traceback, rollback). */
  failureDurationsMs: Float32Array;
  memoryUsedMb: Uint16Array;
  /** A small number to vary log details (user ids, item counts). */
  details: Uint16Array;
}

const routeWeights = cumulative(backendRoutes.map((r) => r.weight));
const jobWeights = cumulative(workerJobs.map((j) => j.weight));

export function generateMinute(
  profile: 'backend' | 'worker',
  functionName: string,
  minuteStartMs: number,
): MinuteTraffic {
  const random = new SeededRandom(`${functionName}|${minuteStartMs}`);
  const expected = expectedPerMinute(profile, minuteStartMs);
  const count = Math.max(0, Math.round(expected + random.normal() * Math.sqrt(expected)));
  const offsets = new Uint16Array(count);
  for (let i = 0; i < count; i++) offsets[i] = random.int(60_000);
  offsets.sort(); // typed arrays sort numerically, and much faster than Array#sort with a comparator
  const traffic: MinuteTraffic = {
    count,
    offsetsMs: offsets,
    kinds: new Uint8Array(count),
    envs: new Uint8Array(count),
    durationsMs: new Float32Array(count),
    failureDurationsMs: new Float32Array(count),
    memoryUsedMb: new Uint16Array(count),
    details: new Uint16Array(count),
  };
  const envCount = environments[profile];
  for (let i = 0; i < count; i++) {
    traffic.envs[i] = random.int(envCount);
    traffic.details[i] = random.int(1000);
    if (profile === 'backend') {
      const route = random.weighted(routeWeights);
      traffic.kinds[i] = route;
      traffic.durationsMs[i] = clamp(random.logNormal(backendRoutes[route]!.medianMs, 0.45), 0.9, 400);
      traffic.failureDurationsMs[i] =
        route === notificationPreferencesRoute ? clamp(random.logNormal(22, 0.25), 12, 400) : 0;
      traffic.memoryUsedMb[i] = 141 + traffic.envs[i]! * 4 + random.int(9);
    } else {
      const job = random.weighted(jobWeights);
      traffic.kinds[i] = job;
      traffic.durationsMs[i] = clamp(random.logNormal(workerJobs[job]!.medianMs, 0.5), 8, 20_000);
      traffic.memoryUsedMb[i] = 203 + traffic.envs[i]! * 7 + random.int(40);
    }
  }
  return traffic;
}

function clamp(value: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, value)) * 100) / 100;
}

/** A bounded memo of generated minutes: overlapping queries and log pages reuse them. */
export class MinuteTrafficCache {
  private readonly entries = new Map<string, MinuteTraffic>();

  constructor(private readonly capacity = 24_000) {}

  get(profile: 'backend' | 'worker', functionName: string, minuteStartMs: number): MinuteTraffic {
    const key = `${functionName}|${minuteStartMs}`;
    let minute = this.entries.get(key);
    if (!minute) {
      minute = generateMinute(profile, functionName, minuteStartMs);
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(key, minute);
    }
    return minute;
  }
}
