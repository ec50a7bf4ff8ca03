// What the migration held, measured from successive polls: per table the time under each lock
// mode, the longest wait it caused and how many sessions waited; whether it was one transaction.
// A lock first seen at a poll began somewhere since the previous one, and one gone at a poll ended
// somewhere since the last: each edge is counted as half the gap, so a figure is within one
// poll interval of the truth.
import type {
  LockView,
  MeasuredTableLock,
  MigrationLockMeasurement,
  MigrationTimeouts,
} from '@flightdeck/contracts';
import { lockStrength, type LockLevel } from '../migrations/locks.js';
import { formatSeconds, lockTimeoutGuidance } from './lock-view.js';

interface TableFigures {
  modes: Map<LockLevel, number>;
  longestBlockSeconds: number;
  waited: Set<number>;
}

export class LockMeasurement {
  private readonly tables = new Map<string, TableFigures>();
  private held = new Set<string>();
  private lastAt: number | null = null;
  private startedAt: string | null = null;
  private readonly transactionStarts: number[] = [];
  private readonly pids = new Set<number>();
  private timeouts: MigrationTimeouts | null = null;
  private migrationWaitedSeconds = 0;

  constructor(private readonly pollIntervalMs: number) {}

  /** Whether a migration has been seen at all. */
  get seen(): boolean {
    return this.startedAt !== null;
  }

  private figures(table: string): TableFigures {
    let f = this.tables.get(table);
    if (!f) this.tables.set(table, (f = { modes: new Map(), longestBlockSeconds: 0, waited: new Set() }));
    return f;
  }

  private add(key: string, seconds: number): void {
    const [table, mode] = key.split('\u0000') as [string, LockLevel];
    const f = this.figures(table);
    f.modes.set(mode, (f.modes.get(mode) ?? 0) + seconds);
  }

  /** One poll's view; views without a migration session end what was held. */
  observe(view: LockView): void {
    const at = Date.parse(view.fetchedAt);
    const gap = this.lastAt === null ? 0 : Math.max(0, (at - this.lastAt) / 1000);
    const migration = view.migration?.session ?? null;
    const now = new Set(
      (migration?.locks ?? []).filter((l) => l.granted).map((l) => `${l.table}\u0000${l.mode}`),
    );
    for (const key of now) this.add(key, this.held.has(key) ? gap : gap / 2);
    for (const key of this.held) if (!now.has(key)) this.add(key, gap / 2);
    this.held = now;
    this.lastAt = at;
    if (!migration) return;
    this.startedAt ??= view.fetchedAt;
    this.pids.add(migration.pid);
    if (migration.transactionSeconds !== null)
      this.transactionStarts.push(at - migration.transactionSeconds * 1000);
    this.timeouts = view.migration!.timeouts;
    if (migration.waitingSeconds !== null)
      this.migrationWaitedSeconds = Math.max(this.migrationWaitedSeconds, migration.waitingSeconds);
    for (const table of new Set(migration.locks.filter((l) => l.granted).map((l) => l.table)))
      this.figures(table);
    for (const waiter of view.blocked)
      for (const lock of waiter.locks.filter((l) => !l.granted)) {
        const f = this.figures(lock.table);
        f.waited.add(waiter.pid);
        if (waiter.waitingSeconds !== null)
          f.longestBlockSeconds = Math.max(f.longestBlockSeconds, waiter.waitingSeconds);
      }
  }

  /** The figures once the migration is over (its session gone, or the deploy past migrating). */
  finish(finishedAt: string): MigrationLockMeasurement {
    const at = Date.parse(finishedAt);
    if (this.lastAt !== null && at > this.lastAt) {
      const gap = (at - this.lastAt) / 1000;
      for (const key of this.held) this.add(key, gap / 2);
      this.held = new Set();
      this.lastAt = at;
    }
    const starts = this.transactionStarts;
    // One transaction: one backend whose transaction start stayed put (to a second: clocks round).
    const oneTransaction =
      this.pids.size <= 1 && (starts.length === 0 || Math.max(...starts) - Math.min(...starts) < 1000);
    const round = (s: number) => Math.round(s * 10) / 10;
    const tables: MeasuredTableLock[] = [...this.tables]
      .map(([table, f]) => ({
        table,
        modes: [...f.modes]
          .filter(([, s]) => s > 0)
          .sort(([a], [b]) => lockStrength(b) - lockStrength(a))
          .map(([mode, seconds]) => ({ mode, seconds: round(seconds) })),
        longestBlockSeconds: round(f.longestBlockSeconds),
        sessionsWaited: f.waited.size,
      }))
      .filter((t) => t.modes.length > 0 || t.sessionsWaited > 0)
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    return {
      startedAt: this.startedAt ?? finishedAt,
      finishedAt,
      pollIntervalMs: this.pollIntervalMs,
      oneTransaction,
      tables,
      timeouts: this.timeouts,
      migrationWaitedSeconds: round(this.migrationWaitedSeconds),
    };
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
const short = (mode: LockLevel) =>
  mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();

/** The report's section: the story's lock table with measured figures. */
export function renderLockMeasurement(m: MigrationLockMeasurement | null): string[] {
  const lines = ['## Locks during the migration (measured)', ''];
  if (!m) {
    lines.push('No lock figures were measured (Flightdeck did not see the migration’s session).', '');
    return lines;
  }
  const span = (Date.parse(m.finishedAt) - Date.parse(m.startedAt)) / 1000;
  lines.push(
    `Measured from pg_locks every ${m.pollIntervalMs / 1000} s between ${m.startedAt} and ${m.finishedAt}; each figure is within one poll interval.`,
    '',
  );
  if (m.oneTransaction)
    lines.push(
      `The migration ran as one transaction: the whole time (${formatSeconds(span)}) is one lock window, every lock below held until the commit.`,
      '',
    );
  if (m.migrationWaitedSeconds > 0)
    lines.push(
      `The migration itself waited up to ${m.migrationWaitedSeconds} s for a lock another transaction held; everything queued behind it waited as long.`,
      '',
    );
  if (m.tables.length === 0) lines.push('No table locks on existing tables were seen.');
  else {
    lines.push(
      '| Table | Lock mode | Time held | Longest block caused | Sessions waited |',
      '|---|---|---|---|---|',
    );
    for (const t of m.tables)
      lines.push(
        `| ${cell(t.table)} | ${t.modes.map((x) => short(x.mode)).join(', ') || '—'} | ${t.modes.map((x) => `${x.seconds} s`).join(', ') || '—'} | ${t.longestBlockSeconds} s | ${t.sessionsWaited} |`,
      );
  }
  lines.push('');
  if (m.timeouts && m.timeouts.lockTimeout === null)
    lines.push(
      `No lock_timeout was seen on the migration’s session (${m.timeouts.source}). ${lockTimeoutGuidance}`,
      '',
    );
  else if (m.timeouts)
    lines.push(
      `lock_timeout ${m.timeouts.lockTimeout}, statement_timeout ${m.timeouts.statementTimeout ?? 'unset'} (${m.timeouts.source}).`,
      '',
    );
  return lines;
}
