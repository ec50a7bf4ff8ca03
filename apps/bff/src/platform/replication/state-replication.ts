// Many replicas, one set of upstream calls: the leader publishes each polled state to the store
// and announces its name; followers read it and adopt it into their own collectors, so the
// published overview, the SSE stream, the deploy evaluator and /readyz work the same everywhere.
import pg from 'pg';
import type { Leadership } from '../leadership/leader-election.js';
import { sourcesChannel, type PublishedStates } from './published-states.js';

/** Something whose state the leader polls and followers adopt (a collector, the account check). */
export interface ReplicatedState<S> {
  name: string;
  adopt(state: S): void;
  onChange(listener: (state: S) => void): () => void;
}

export interface ReplicationLog {
  warn(message: string): void;
}

const reconnectMs = 1_000;

export class StateReplication {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly targets = new Map<string, ReplicatedState<any>>();
  private readonly adoptedVersions = new Map<string, bigint>();
  private readonly publishing = new Map<string, Promise<void>>();
  private readonly offs: Array<() => void> = [];
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private fallbackTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** The store down: said once, not on every reconnect. */
  private failing = false;

  constructor(
    private readonly states: PublishedStates,
    private readonly leadership: Leadership,
    private readonly url: string,
    /** A follower re-reads everything this often, in case a notification was lost with its connection. */
    private readonly fallbackMs: number,
    private readonly log: ReplicationLog,
  ) {}

  // Each target has its own state type; the store holds them all as JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  add(target: ReplicatedState<any>): void {
    this.targets.set(target.name, target);
    this.offs.push(
      target.onChange((state) => {
        if (this.leadership.leading) this.publish(target.name, state);
      }),
    );
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.fallbackTimer = setInterval(() => void this.adoptAll(), this.fallbackMs);
    this.fallbackTimer.unref();
    // A replica that stops leading catches up on what the new leader published meanwhile.
    this.offs.push(this.leadership.onChange((leading) => (leading ? undefined : this.adoptAll())));
    await this.listen();
    await this.adoptAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    if (this.fallbackTimer) clearInterval(this.fallbackTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
    await Promise.allSettled(this.publishing.values());
  }

  /** One write at a time per name, so versions follow the order the polls finished in. */
  private publish(name: string, state: unknown): void {
    const previous = this.publishing.get(name) ?? Promise.resolve();
    const next = previous
      .then(() => this.states.publish(name, state))
      .then(
        () => undefined,
        (error: unknown) => this.log.warn(`publishing ${name} failed: ${(error as Error).message}`),
      );
    this.publishing.set(name, next);
    void next.finally(() => {
      if (this.publishing.get(name) === next) this.publishing.delete(name);
    });
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === sourcesChannel && message.payload) void this.adoptOne(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${sourcesChannel}`);
      this.listener = client;
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.log.warn(`listening for published states failed: ${(error as Error).message} (retrying)`);
      this.failing = true;
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      return;
    }
    // Whatever was announced while we weren't listening.
    await this.adoptAll();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, reconnectMs);
    this.reconnectTimer.unref();
  }

  private async adoptOne(name: string): Promise<void> {
    if (this.leadership.leading || !this.targets.has(name)) return;
    try {
      const row = await this.states.read(name);
      if (row) this.adoptRow(row.name, row.version, row.state);
    } catch (error) {
      this.log.warn(`reading published ${name} failed: ${(error as Error).message}`);
    }
  }

  private async adoptAll(): Promise<void> {
    if (this.stopped || this.leadership.leading) return;
    try {
      for (const row of await this.states.readAll()) this.adoptRow(row.name, row.version, row.state);
    } catch (error) {
      this.log.warn(`reading published states failed: ${(error as Error).message}`);
    }
  }

  private adoptRow(name: string, version: string, state: unknown): void {
    const target = this.targets.get(name);
    if (!target || this.leadership.leading) return;
    const seen = this.adoptedVersions.get(name);
    const next = BigInt(version);
    if (seen !== undefined && next <= seen) return;
    this.adoptedVersions.set(name, next);
    target.adopt(state);
  }
}
