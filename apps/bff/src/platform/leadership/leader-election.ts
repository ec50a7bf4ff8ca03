// Which replica leads the collectors. On a PostgreSQL server: an advisory lock held on a
// connection of its own plus a fencing epoch in `leader_lease`. Embedded (PGlite, one process):
// that process leads, always.
import { hostname } from 'node:os';
import pg from 'pg';

export interface LeaderInfo {
  /** The replica holding the lease, as last read; null before anyone won it. */
  id: string | null;
  epoch: string | null;
  since: string | null;
}

export interface Leadership {
  readonly replicaId: string;
  readonly leading: boolean;
  /** Our fencing epoch while leading: every published write is conditional on it. */
  readonly epoch: string | null;
  leader(): LeaderInfo;
  /** Called on every change, in order; a listener's promise is awaited before the next change. */
  onChange(listener: (leading: boolean) => void | Promise<void>): () => void;
  /** A fenced write found a newer epoch: another replica leads, so this one stops at once. */
  fenced(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function defaultReplicaId(): string {
  return `${hostname()}-${process.pid}`;
}

/** The advisory lock's key: any constant other Flightdeck locks don't use (migrations use 727301). */
const leaderLockId = 727_302;

type Listener = (leading: boolean) => void | Promise<void>;

abstract class ListenedLeadership {
  private readonly listeners = new Set<Listener>();
  private chain: Promise<void> = Promise.resolve();

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Transitions run one after another, so a quick lose-win never starts collectors twice. */
  protected emit(leading: boolean): void {
    this.chain = this.chain.then(async () => {
      for (const listener of this.listeners) {
        await Promise.resolve(listener(leading)).catch(() => undefined);
      }
    });
  }

  /** Resolves when every transition emitted so far has been handled. */
  settled(): Promise<void> {
    return this.chain;
  }
}

/** The embedded store serves one process, which therefore leads from start to end. */
export class SoleLeadership extends ListenedLeadership implements Leadership {
  readonly leading = true;
  readonly epoch = null;
  private readonly since = new Date().toISOString();

  constructor(readonly replicaId: string) {
    super();
  }

  leader(): LeaderInfo {
    return { id: this.replicaId, epoch: null, since: this.since };
  }

  fenced(): void {}

  async start(): Promise<void> {
    this.emit(true);
    await this.settled();
  }

  async stop(): Promise<void> {}
}

export interface ElectionLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Followers try the lock every `pollMs`; the winner increments the epoch and records itself. The
 * lock lives as long as its connection: when the leader dies (even by kill -9), PostgreSQL sees the
 * socket close and frees it, and the next follower's try wins. A leader whose lock connection
 * errors or ends stops leading at once, before it knows whether the lock is gone.
 */
export class ServerLeaderElection extends ListenedLeadership implements Leadership {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ticking: Promise<void> | null = null;
  private current: LeaderInfo = { id: null, epoch: null, since: null };
  /** The store down: said once, not every poll. */
  private failing = false;
  leading = false;
  epoch: string | null = null;

  constructor(
    private readonly url: string,
    readonly replicaId: string,
    private readonly pollMs: number,
    private readonly log: ElectionLog,
  ) {
    super();
  }

  leader(): LeaderInfo {
    return this.current;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    // Closing the connection frees the lock: a follower takes over within one poll.
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    await this.settled();
  }

  fenced(): void {
    if (!this.leading) return;
    this.log.warn(`replica ${this.replicaId}: a newer leader epoch exists; stopping collectors`);
    this.demote();
    // The lock (if we still hold it) goes with the connection; a fresh one competes again.
    this.dropConnection();
  }

  private tick(): Promise<void> {
    this.ticking ??= this.attempt().finally(() => {
      this.ticking = null;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.tick(), this.pollMs);
        this.timer.unref();
      }
    });
    return this.ticking;
  }

  private async attempt(): Promise<void> {
    try {
      const client = await this.connection();
      if (!this.leading) {
        const won = await client.query<{ won: boolean }>('select pg_try_advisory_lock($1) as won', [
          leaderLockId,
        ]);
        if (won.rows[0]?.won && !this.stopped) {
          const lease = await client.query<{ epoch: string; since: Date }>(
            'update leader_lease set epoch = epoch + 1, holder = $1, since = now() where id = 1 returning epoch, since',
            [this.replicaId],
          );
          const row = lease.rows[0]!;
          this.epoch = row.epoch;
          this.leading = true;
          this.current = { id: this.replicaId, epoch: row.epoch, since: row.since.toISOString() };
          this.log.info(`replica ${this.replicaId} leads the collectors (epoch ${row.epoch})`);
          this.failing = false;
          this.emit(true);
          return;
        }
      }
      // Leaders read it too: a newer epoch means someone else won while this one was stalled.
      const lease = await client.query<{ holder: string | null; epoch: string; since: Date | null }>(
        'select holder, epoch, since from leader_lease where id = 1',
      );
      const row = lease.rows[0];
      if (row) this.current = { id: row.holder, epoch: row.epoch, since: row.since?.toISOString() ?? null };
      if (this.leading && row && row.epoch !== this.epoch) this.fenced();
      this.failing = false;
    } catch (error) {
      if (!this.stopped && !this.failing)
        this.log.warn(`leader election: ${(error as Error).message} (retrying every ${this.pollMs} ms)`);
      this.failing = true;
      this.dropConnection();
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
      keepAlive: true,
      application_name: `flightdeck-leader-${this.replicaId}`.slice(0, 63),
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      if (!this.stopped) this.log.warn(`leader election connection lost${error ? `: ${error.message}` : ''}`);
      this.dropConnection();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    this.client = client;
    return client;
  }

  /** No connection, no lock: a leader stops leading the moment its lock connection goes. */
  private dropConnection(): void {
    const client = this.client;
    this.client = null;
    if (this.leading) this.demote();
    void client?.end().catch(() => undefined);
  }

  private demote(): void {
    this.leading = false;
    this.epoch = null;
    this.emit(false);
  }
}

/** An election on a store server (replicas may exist); on the embedded store, this process leads. */
export function createLeadership(
  storeUrl: string | null,
  settings: { replicaId?: string; leaderPollMs: number },
  log: ElectionLog,
): Leadership {
  const replicaId = settings.replicaId ?? defaultReplicaId();
  return storeUrl
    ? new ServerLeaderElection(storeUrl, replicaId, settings.leaderPollMs, log)
    : new SoleLeadership(replicaId);
}
