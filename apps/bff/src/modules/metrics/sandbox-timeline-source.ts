import type { DeployMarker } from '@flightdeck/contracts';
import { markersFromTimeline, type TimelineEntry } from '@flightdeck/core';
import type { Source } from '../../platform/sources/collector.js';

/** Sandbox mode only: the scenario's own deploy timeline, read over its control API like a test would. */
export class SandboxTimelineSource implements Source<DeployMarker[]> {
  constructor(private readonly timelineUrl: string) {}

  async fetch(): Promise<DeployMarker[]> {
    const response = await fetch(this.timelineUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) {
      throw Object.assign(new Error(`${this.timelineUrl} answered ${response.status}`), {
        name: 'SandboxTimelineError',
      });
    }
    const body = (await response.json()) as { timeline: TimelineEntry[] };
    return markersFromTimeline(body.timeline);
  }
}
