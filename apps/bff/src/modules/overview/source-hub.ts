import type { OverviewSources, SourceName } from '@flightdeck/contracts';
import { Collector, type Source } from '../../platform/sources/collector.js';

export type SourceSet = { [K in SourceName]: Source<NonNullable<OverviewSources[K]['data']>> };
export type Intervals = { [K in SourceName]: number };
export type CollectorSet = { [K in SourceName]: Collector<NonNullable<OverviewSources[K]['data']>> };
export type SourceChangeListener = <K extends SourceName>(source: K, state: OverviewSources[K]) => void;

/** All collectors of one environment: started and stopped together, one change feed for the SSE stream. */
export class SourceHub {
  readonly collectors: CollectorSet;
  private readonly listeners = new Set<SourceChangeListener>();

  constructor(sources: SourceSet, intervals: Intervals) {
    const make = <K extends SourceName>(name: K) => new Collector(name, sources[name], intervals[name]);
    this.collectors = {
      alembic: make('alembic'),
      rds: make('rds'),
      metrics: make('metrics'),
      logs: make('logs'),
      lambda: make('lambda'),
    } as CollectorSet;
    for (const name of this.names()) {
      this.collectors[name].onChange((state) => {
        for (const listener of this.listeners) listener(name, state as OverviewSources[typeof name]);
      });
    }
  }

  names(): SourceName[] {
    return Object.keys(this.collectors) as SourceName[];
  }

  snapshot(): OverviewSources {
    const out = {} as Record<SourceName, unknown>;
    for (const name of this.names()) out[name] = this.collectors[name].state;
    return out as OverviewSources;
  }

  /** Waits (bounded) for sources that have never answered, so a first page after start-up isn't blank. */
  async firstSettled(timeoutMs: number): Promise<void> {
    await Promise.all(this.names().map((n) => this.collectors[n].firstSettled(timeoutMs)));
  }

  subscribe(listener: SourceChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Refreshes every source now (coalesced with polls in flight); used after a scenario change. */
  async refreshAll(): Promise<void> {
    await Promise.all(this.names().map((n) => this.collectors[n].refresh()));
  }

  start(): void {
    for (const n of this.names()) this.collectors[n].start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.names().map((n) => this.collectors[n].stop()));
  }
}
