// The lock poll: one query on the target database per poll (pg_stat_activity + pg_locks), turned
// into the lock view; while a deploy's migration is seen, each view is added to its measurement,
// stored with the deploy once the migration is over.
import type {
  DeployPhase,
  LockView,
  MigrationHistoryData,
  MigrationLockMeasurement,
} from '@flightdeck/contracts';
import {
  buildLockView,
  LockMeasurement,
  lockPollParams,
  lockPollSql,
  readLockRows,
  releaseTableLocks,
} from '@flightdeck/core';
import type { Source } from '../../platform/sources/collector.js';
import type { TargetDatabase } from '../../platform/upstreams/target-database.js';

/** The deploy the lock poll watches for: its phase and the revisions its release applies. */
export interface LockTarget {
  deployId: string;
  phase: DeployPhase;
  pendingRevisions: string[];
}

export interface LockSourceSettings {
  readyIntervalMs: number;
  migratingIntervalMs: number;
  idleIntervalMs: number;
  timeoutMs: number;
  queryChars: number;
  blockerMinSeconds: number;
  lockWaitAlertSeconds: number;
  lockBlockedAlertCount: number;
}

export interface LockSourceDeps {
  database: TargetDatabase;
  settings: LockSourceSettings;
  /** The active deploy (the deploys module tells it through app.locks.follow); null without one. */
  target(): Promise<LockTarget | null>;
  history(): MigrationHistoryData | null;
  store(deployId: string, measurement: MigrationLockMeasurement): Promise<void>;
  /** The view turned red during a deploy's migration: told once per deploy (the notifications outbox). */
  alert(deployId: string, view: LockView): void;
  now(): Date;
  onStoreError(error: unknown): void;
}

const beforeMigration = new Set<DeployPhase>(['preparing', 'ready']);

export class LockSource implements Source<LockView> {
  private lastTarget: LockTarget | null = null;
  private migrationSeen = false;
  private measuring: { deployId: string; measurement: LockMeasurement } | null = null;
  /** Deploys whose migration already raised its alert: a red panel is notified once, not every second. */
  private readonly alerted = new Set<string>();

  constructor(private readonly deps: LockSourceDeps) {}

  /** Every second while the migration runs, every few seconds before it, rarely otherwise. */
  intervalMs(): number {
    const s = this.deps.settings;
    const phase = this.lastTarget?.phase;
    if (phase === 'migrating' || this.migrationSeen) return s.migratingIntervalMs;
    if (phase && beforeMigration.has(phase)) return s.readyIntervalMs;
    return s.idleIntervalMs;
  }

  /** Whether viewers should get each view live: a deploy before or in its migration. */
  get live(): boolean {
    const phase = this.lastTarget?.phase;
    return this.migrationSeen || phase === 'migrating' || (phase !== undefined && beforeMigration.has(phase));
  }

  async fetch(): Promise<LockView> {
    const target = await this.deps.target();
    this.lastTarget = target;
    const history = this.deps.history();
    const tables =
      target && history ? releaseTableLocks(history.revisionSummaries, target.pendingRevisions) : [];
    const rows = await this.deps.database.query(lockPollSql, lockPollParams(this.deps.settings.queryChars), {
      timeoutMs: this.deps.settings.timeoutMs,
    });
    const s = this.deps.settings;
    const view = buildLockView(readLockRows(rows), this.deps.now().toISOString(), {
      tables,
      blockerMinSeconds: s.blockerMinSeconds,
      lockWaitAlertSeconds: s.lockWaitAlertSeconds,
      lockBlockedAlertCount: s.lockBlockedAlertCount,
      migrating: target?.phase === 'migrating',
    });
    this.migrationSeen = view.migration !== null;
    await this.measure(target, view);
    return view;
  }

  private async measure(target: LockTarget | null, view: LockView): Promise<void> {
    const watching =
      target && (target.phase === 'migrating' || beforeMigration.has(target.phase)) ? target : null;
    if (view.migration && watching) {
      if (this.measuring?.deployId !== watching.deployId)
        this.measuring = {
          deployId: watching.deployId,
          measurement: new LockMeasurement(this.deps.settings.migratingIntervalMs),
        };
      this.measuring.measurement.observe(view);
      if (view.alert && !this.alerted.has(watching.deployId)) {
        this.alerted.add(watching.deployId);
        this.deps.alert(watching.deployId, view);
      }
      return;
    }
    const done = this.measuring;
    if (!done) return;
    this.measuring = null;
    // The view without the migration's session closes what it held, half a gap after the last sight.
    done.measurement.observe(view);
    try {
      await this.deps.store(done.deployId, done.measurement.finish(view.fetchedAt));
    } catch (error) {
      this.deps.onStoreError(error);
    }
  }
}
