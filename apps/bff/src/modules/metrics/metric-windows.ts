import type { MetricsWindowData, MetricsWindowId, SourceStateOf } from '@flightdeck/contracts';
import { Collector, type Source } from '../../platform/sources/collector.js';

interface WindowEntry {
  collector: Collector<MetricsWindowData>;
  lastAskedAt: number;
}

/**
 * One collector per chart window, created when a viewer first asks for that window and stopped
 * once nobody has asked for `idleMs`: a window nobody looks at costs no CloudWatch calls, and a
 * window a hundred people look at costs the same as one.
 */
export class MetricWindows {
  private readonly entries = new Map<MetricsWindowId, WindowEntry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly sourceFor: (window: MetricsWindowId) => Source<MetricsWindowData>,
    private readonly intervalFor: (window: MetricsWindowId) => number,
    private readonly idleMs: number,
    private readonly firstAnswerWaitMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.max(1_000, idleMs / 4));
    this.sweeper.unref();
  }

  /** The window's latest state; the first request for a window waits (bounded) for its first answer. */
  async read(window: MetricsWindowId): Promise<SourceStateOf<MetricsWindowData>> {
    let entry = this.entries.get(window);
    if (!entry) {
      const collector = new Collector(`metrics:${window}`, this.sourceFor(window), this.intervalFor(window));
      entry = { collector, lastAskedAt: this.now() };
      this.entries.set(window, entry);
      collector.start();
    }
    entry.lastAskedAt = this.now();
    await entry.collector.firstSettled(this.firstAnswerWaitMs);
    return entry.collector.state;
  }

  /** Windows being polled right now. */
  active(): MetricsWindowId[] {
    return [...this.entries.keys()];
  }

  async sweep(): Promise<void> {
    const cutoff = this.now() - this.idleMs;
    const idle = [...this.entries].filter(([, e]) => e.lastAskedAt < cutoff);
    for (const [window] of idle) this.entries.delete(window);
    await Promise.all(idle.map(([, e]) => e.collector.stop()));
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.collector.stop()));
  }
}
