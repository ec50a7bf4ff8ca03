import type { AuditRecord } from './audit-log.js';

/** A refused change, as the audit trail saw it answered. */
export interface Refusal {
  actor: string;
  role: AuditRecord['role'];
  action: string;
  result: string;
  correlationId: string;
}

interface Window {
  actor: string;
  action: string;
  openedAt: number;
  lastAt: number;
  role: AuditRecord['role'];
  lastCorrelationId: string;
  count: number;
  results: Map<string, number>;
  timer: NodeJS.Timeout;
}

/**
 * Repeated refusals from one person within a minute become one audit row with a count, without
 * ever updating a row (the audit log is append-only): the first refusal of a person's minute for a
 * change (method and route) is written in full at once, the same change's refusals after it are
 * only counted, and when the minute ends one summary row says how many more there were and with
 * which answers. A person refused a thousand times in a second leaves two rows, not a thousand;
 * at most two per route and minute whatever they try. Summaries still open are written when
 * Flightdeck stops.
 */
export class RefusalDigest {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly write: (summary: AuditRecord) => Promise<void>,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this refusal opens the person's window and is to be written in full; else counted. */
  admit(refusal: Refusal): boolean {
    const key = `${refusal.actor}\n${refusal.action}`;
    const open = this.windows.get(key);
    if (!open) {
      const timer = setTimeout(() => void this.close(key), this.windowMs);
      timer.unref();
      this.windows.set(key, {
        actor: refusal.actor,
        action: refusal.action,
        openedAt: this.now(),
        lastAt: this.now(),
        role: refusal.role,
        lastCorrelationId: refusal.correlationId,
        count: 0,
        results: new Map(),
        timer,
      });
      return true;
    }
    open.count++;
    open.lastAt = this.now();
    open.role = refusal.role;
    open.lastCorrelationId = refusal.correlationId;
    open.results.set(refusal.result, (open.results.get(refusal.result) ?? 0) + 1);
    return false;
  }

  /** Writes every open window's summary (at shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.windows.keys()].map((key) => this.close(key)));
  }

  /** Ends a window: its summary row if anything was counted after the first refusal. */
  private async close(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(key);
    if (window.count === 0) return;
    await this.write({
      at: new Date(window.lastAt).toISOString(),
      actor: window.actor,
      role: window.role,
      action: window.action,
      target: null,
      parameters: {
        refusedAfterFirst: window.count,
        from: new Date(window.openedAt).toISOString(),
        to: new Date(window.lastAt).toISOString(),
        results: Object.fromEntries(window.results),
      },
      result: `${window.count} more refused`,
      correlationId: window.lastCorrelationId,
    });
  }
}
