import type { DeployDetail } from '@flightdeck/contracts';
import type { FastifyBaseLogger } from 'fastify';

type Listener = (detail: DeployDetail) => void;

interface Watched {
  listeners: Set<Listener>;
  timer: NodeJS.Timeout;
  /** What was last sent, without what changes on every read (ages, evaluation times). */
  fingerprint: string | null;
  last: DeployDetail | null;
  reading: Promise<void> | null;
}

/** A deploy's detail without the parts that move on every read: what a listener is told again for. */
export function deployFingerprint(detail: DeployDetail): string {
  return JSON.stringify({
    ...detail,
    checklist: detail.checklist.map((item) => ({
      ...item,
      evidenceAgeSeconds: null,
      evidence: item.evidence ? { ...item.evidence, evaluatedAt: null } : null,
    })),
  });
}

/**
 * Followers of one deploy (the SSE stream a pipeline's `flightdeck deploy wait` reads): one read
 * of the store per deploy and interval, however many follow it, told only when something changed.
 * The store is where every replica's changes meet, so a follower on any replica sees them;
 * `poke` reads at once after a change made here.
 */
export class DeployFeed {
  private watched = new Map<string, Watched>();

  constructor(
    private readonly read: (id: string) => Promise<DeployDetail | null>,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Tells `listener` the deploy now (when known) and on each change; returns the unsubscribe. */
  follow(id: string, listener: Listener): () => void {
    let entry = this.watched.get(id);
    if (!entry) {
      entry = {
        listeners: new Set(),
        timer: setInterval(() => void this.refresh(id), this.intervalMs),
        fingerprint: null,
        last: null,
        reading: null,
      };
      entry.timer.unref();
      this.watched.set(id, entry);
    }
    entry.listeners.add(listener);
    if (entry.last) listener(entry.last);
    else void this.refresh(id);
    return () => {
      const current = this.watched.get(id);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        clearInterval(current.timer);
        this.watched.delete(id);
      }
    };
  }

  /** Reads the deploy again now (a change was made on this replica). */
  poke(id: string): void {
    if (this.watched.has(id)) void this.refresh(id);
  }

  /** Reads every followed deploy again now (an evaluation finished). */
  pokeAll(): void {
    for (const id of this.watched.keys()) void this.refresh(id);
  }

  close(): void {
    for (const entry of this.watched.values()) clearInterval(entry.timer);
    this.watched.clear();
  }

  private refresh(id: string): Promise<void> {
    const entry = this.watched.get(id);
    if (!entry) return Promise.resolve();
    entry.reading ??= this.read(id)
      .then((detail) => {
        if (!detail) return;
        const fingerprint = deployFingerprint(detail);
        if (fingerprint === entry.fingerprint) return;
        entry.fingerprint = fingerprint;
        entry.last = detail;
        for (const listener of entry.listeners) listener(detail);
      })
      .catch((error: unknown) => this.log.warn({ err: error }, `deploy ${id} not read for its followers`))
      .finally(() => {
        entry.reading = null;
      });
    return entry.reading;
  }
}
