import { randomUUID } from 'node:crypto';
import type { AlembicStatus, DeployMarker, LambdaAliases } from '@flightdeck/contracts';
import { aliasChanges, alembicChange, type ObservedMarker } from '@flightdeck/core';
import { Collector, type Source } from '../../platform/sources/collector.js';
import type { FastifyInstance } from 'fastify';

/** The Overview's collectors (declared by the overview module): markers follow its Alembic and Lambda states. */
type OverviewCollectors = Pick<FastifyInstance['sources'], 'collectors' | 'subscribe'>;

/** Where the charts' deploy markers come from. */
export interface DeployMarkerFeed {
  /** Markers between `from` and `to`, oldest first. */
  between(from: Date, to: Date): DeployMarker[];
  start(): void;
  stop(): Promise<void>;
}

const maxMarkers = 500;

/** Markers another module keeps (the deploys' record), read when a chart is asked for. */
export type MarkerSource = (from: Date, to: Date) => Promise<DeployMarker[]>;

/** Where observed markers are kept beyond one process's life (Flightdeck's store). */
export interface MarkerLog {
  /** The newest `limit` markers, oldest first. */
  recent(limit: number): Promise<DeployMarker[]>;
  append(marker: DeployMarker): Promise<void>;
}

/**
 * Markers from what Flightdeck itself sees: the database revision or an alias changing between two
 * polls. Honest about precision: the time is when the poll noticed, within one interval of the change.
 */
export class ObservedDeployMarkers implements DeployMarkerFeed {
  private readonly markers: DeployMarker[] = [];
  private lastAlembic: AlembicStatus | null = null;
  private lastLambda: LambdaAliases | null = null;
  private off: (() => void) | null = null;
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly hub: OverviewCollectors,
    private readonly now: () => Date = () => new Date(),
    private readonly log: MarkerLog | null = null,
    private readonly onLogError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    // What earlier runs saw comes back first, so a restart keeps the charts' markers.
    this.loaded ??= (this.log?.recent(maxMarkers) ?? Promise.resolve([]))
      .then((earlier) => void this.markers.unshift(...earlier))
      .catch(this.onLogError);
    this.lastAlembic = this.hub.collectors.alembic.state.data;
    this.lastLambda = this.hub.collectors.lambda.state.data;
    this.off ??= this.hub.subscribe((source, state) => {
      if (source === 'alembic' && state.data) {
        const next = state.data as AlembicStatus;
        const marker = this.lastAlembic && alembicChange(this.lastAlembic, next, this.now());
        if (marker) this.record(marker);
        this.lastAlembic = next;
      } else if (source === 'lambda' && state.data) {
        const next = state.data as LambdaAliases;
        if (this.lastLambda) for (const m of aliasChanges(this.lastLambda, next, this.now())) this.record(m);
        this.lastLambda = next;
      }
    });
  }

  async stop(): Promise<void> {
    this.off?.();
    this.off = null;
  }

  between(from: Date, to: Date): DeployMarker[] {
    return inRange(this.markers, from, to);
  }

  private record(observed: ObservedMarker): void {
    const marker: DeployMarker = { ...observed, id: `observed-${randomUUID()}`, source: 'observed' };
    this.markers.push(marker);
    this.log?.append(marker).catch(this.onLogError);
    if (this.markers.length > maxMarkers) this.markers.splice(0, this.markers.length - maxMarkers);
  }
}

/** Markers read from an upstream that keeps a deploy timeline (the sandbox's), polled like any source. */
export class TimelineDeployMarkers implements DeployMarkerFeed {
  private readonly collector: Collector<DeployMarker[]>;

  constructor(source: Source<DeployMarker[]>, intervalMs: number) {
    this.collector = new Collector('deploy-timeline', source, intervalMs);
  }

  start(): void {
    this.collector.start();
  }

  stop(): Promise<void> {
    return this.collector.stop();
  }

  between(from: Date, to: Date): DeployMarker[] {
    return inRange(this.collector.state.data ?? [], from, to);
  }
}

/**
 * Markers from several feeds, oldest first. An alias change the deploy's record names (and says who
 * made it) replaces the same change observed between two polls: one marker for one change.
 */
export function mergeMarkers(feed: DeployMarker[], recorded: DeployMarker[], pollMs: number): DeployMarker[] {
  const named = recorded.filter((m) => m.kind === 'alias-changed');
  const sameChange = (observed: DeployMarker) =>
    observed.source === 'observed' &&
    observed.kind === 'alias-changed' &&
    named.some(
      (r) =>
        r.functionName === observed.functionName &&
        Math.abs(Date.parse(r.at) - Date.parse(observed.at)) <= 2 * pollMs,
    );
  return [...feed.filter((m) => !sameChange(m)), ...recorded].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
}

function inRange(markers: DeployMarker[], from: Date, to: Date): DeployMarker[] {
  const a = from.getTime();
  const b = to.getTime();
  return markers
    .filter((m) => {
      const t = Date.parse(m.at);
      return t >= a && t <= b;
    })
    .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}
