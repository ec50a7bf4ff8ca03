import { UnknownTable, type DemoDatabase } from '../demo-db/demo-database.js';
import { FunctionCatalog, type FunctionVersion } from '../lambda/function-catalog.js';
import { RdsFleet } from '../rds/rds-fleet.js';
import { functionStories, notificationPreferencesTable, revisionChain, storyNames } from '../story.js';
import { MinuteTrafficCache } from '../traffic/minute-traffic.js';
import type { RecordedInvocation, TrafficFunction, TrafficWorld } from '../traffic/world.js';
import { CallLedger, type CallCounts } from './call-ledger.js';
import { ScenarioClock, type ClockReading } from './clock.js';
import {
  FaultBook,
  isAwsService,
  parseFault,
  type AwsService,
  type BehaviourFaultKind,
  type Fault,
} from './faults.js';
import { SandboxInputError } from './input-error.js';
import { Timeline, type TimelineEvent } from './timeline.js';

export interface ScenarioState {
  clock: ClockReading;
  /** The scenario clock as an ISO date. */
  scenarioTime: string;
  /** Rows of alembic_version in the demo database. */
  revision: string[];
  pending: string[];
  migrationsAppliedAt: string | null;
  aliases: { functionName: string; alias: string; functionVersion: string }[];
  faults: Fault[];
  timeline: TimelineEvent[];
}

export interface MigrationOutcome {
  applied: string[];
  revision: string[];
  migrationsAppliedAt: string | null;
  message: string;
}

const historyMs = 7 * 86_400_000;
const maxAdvanceSeconds = 30 * 86_400;
/** The revision whose table the notification preferences endpoint reads. */
const preferencesRevision = '7702d353e5b8';

/**
 * The story, moving on a clock: the demo database, the functions and their aliases, the RDS
 * snapshots and instances, faults and call counts, and the timeline that metrics and logs
 * are generated from. The control API and the in-process handle are both this object.
 */
export class Scenario implements TrafficWorld {
  readonly functions: readonly TrafficFunction[] = functionStories.map((s) => ({
    name: s.name,
    profile: s.traffic,
    memorySizeMb: s.memoryMb,
    alias: storyNames.alias,
  }));
  readonly trafficCache = new MinuteTrafficCache();
  private readonly clock: ScenarioClock;
  private readonly events = new Timeline();
  private readonly faultBook = new FaultBook();
  private readonly ledger = new CallLedger();
  private storyStartMs: number;
  private recorded = new Map<string, RecordedInvocation[]>();
  private catalog: FunctionCatalog;
  private fleet: RdsFleet;

  /** The migration being played (applyMigrations with playSeconds), until it is applied. */
  private playing: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: DemoDatabase,
    private readonly databaseEndpoint: { host: string; port: number },
    realNow: () => number,
  ) {
    this.clock = new ScenarioClock(realNow);
    this.storyStartMs = this.clock.now();
    this.catalog = new FunctionCatalog(this.storyStartMs, this.events, () => this.now());
    this.fleet = new RdsFleet(this.storyStartMs, databaseEndpoint, this.events, () => this.now());
  }

  /** Lambda functions, versions and aliases (the Lambda API works on this). */
  get lambda(): FunctionCatalog {
    return this.catalog;
  }

  /** RDS instances and snapshots (the RDS API works on this). */
  get rds(): RdsFleet {
    return this.fleet;
  }

  get demoDatabase(): DemoDatabase {
    return this.database;
  }

  /** Scenario time in ms. */
  now(): number {
    return this.clock.now();
  }

  async advanceClock(seconds: number): Promise<ClockReading> {
    if (
      typeof seconds !== 'number' ||
      !Number.isFinite(seconds) ||
      seconds <= 0 ||
      seconds > maxAdvanceSeconds
    )
      throw new SandboxInputError(
        'InvalidClockAdvance',
        `seconds must be a number above 0 and at most ${maxAdvanceSeconds}`,
      );
    this.clock.advance(seconds);
    return this.clock.reading();
  }

  /**
   * A quiet world, for measuring what Flightdeck costs while nothing happens: scenario time
   * stops (no new invocations, log lines or datapoints), and log reads are answered as of the
   * paused moment, so lines don't age out of a window that the caller moves with its own clock.
   */
  pauseClock(): ClockReading {
    this.clock.pause();
    return this.clock.reading();
  }

  resumeClock(): ClockReading {
    this.clock.resume();
    return this.clock.reading();
  }

  /** How long the clock has been paused (0 while it runs): log windows move back by this much. */
  pausedForMs(): number {
    return this.clock.pausedForMs();
  }

  async state(): Promise<ScenarioState> {
    const revision = await this.database.revisions();
    this.noticeMigrationsAppliedElsewhere(revision);
    const pending = await this.database.pendingRevisions();
    const reading = this.clock.reading();
    return {
      clock: reading,
      scenarioTime: new Date(reading.scenarioMs).toISOString(),
      revision,
      pending,
      migrationsAppliedAt: this.migrationsAppliedAt(),
      aliases: this.catalog.list().flatMap((fn) =>
        [...fn.aliases.values()].map((a) => ({
          functionName: fn.story.name,
          alias: a.name,
          functionVersion: a.functionVersion,
        })),
      ),
      faults: this.faultBook.list(),
      timeline: this.timeline(),
    };
  }

  /**
   * Runs the pending migrations' SQL in one transaction; a second call finds nothing pending. With
   * `playSeconds`, the migration is first played for that long (wall time) as a session holding
   * its locks with requests waiting behind it, then applied.
   */
  async applyMigrations(playSeconds?: unknown): Promise<MigrationOutcome> {
    if (playSeconds !== undefined) {
      if (
        typeof playSeconds !== 'number' ||
        !Number.isFinite(playSeconds) ||
        playSeconds < 1 ||
        playSeconds > 120
      )
        throw new SandboxInputError('InvalidBody', 'playSeconds must be a number from 1 to 120');
      const pending = await this.database.pendingRevisions();
      if (pending.length > 0) {
        if (!this.playing) {
          await this.database.playMigration(playSeconds);
          this.playing = setTimeout(() => {
            this.playing = null;
            // The database may be closed by then (the sandbox stopped): nothing to apply to.
            this.applyMigrations().catch(() => undefined);
          }, playSeconds * 1000);
          this.playing.unref();
        }
        return {
          applied: [],
          revision: await this.database.revisions(),
          migrationsAppliedAt: this.migrationsAppliedAt(),
          message: `Playing ${pending.length} migration(s) for ${playSeconds} s, holding their locks, then applying them in one transaction`,
        };
      }
    }
    const applied = await this.database.applyPending();
    const at = this.now();
    for (const revision of applied)
      this.events.record(at, 'migration-applied', `Migration ${revision} applied`, revision, revision);
    const revision = await this.database.revisions();
    return {
      applied,
      revision,
      migrationsAppliedAt: this.migrationsAppliedAt(),
      message:
        applied.length === 0
          ? `Nothing pending: the database is at ${revision.join(', ')}`
          : `Applied ${applied.length} migration(s) in one transaction: ${applied.join(' -> ')}`,
    };
  }

  /**
   * The worker's transaction left open: a (simulated) session holding a row lock on `table` for
   * `seconds`, which a migration needing that table would wait for. Replaces one already open.
   */
  async openLongTransaction(
    table: unknown,
    seconds: unknown,
  ): Promise<{ pid: number; table: string; endsAt: string }> {
    if (typeof table !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(table))
      throw new SandboxInputError('InvalidBody', 'table must be a table name (lowercase letters, digits, _)');
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > 86_400)
      throw new SandboxInputError('InvalidBody', 'seconds must be a number from 1 to 86400');
    try {
      const open = await this.database.openLongTransaction(table, seconds);
      return { ...open, table };
    } catch (error) {
      if (error instanceof UnknownTable) throw new SandboxInputError('UnknownTable', error.message);
      throw error;
    }
  }

  /** Ends the long transaction; `ended` is false when none was open. */
  async endLongTransaction(): Promise<{ ended: boolean }> {
    return { ended: await this.database.endLongTransaction() };
  }

  /** Back to the story's start: database, functions, snapshots, clock, faults, call counts. */
  async reset(): Promise<void> {
    if (this.playing) clearTimeout(this.playing);
    this.playing = null;
    await this.database.reset();
    this.clock.reset();
    this.storyStartMs = this.clock.now();
    this.events.clear();
    this.faultBook.clear();
    this.ledger.reset();
    this.recorded = new Map();
    this.catalog = new FunctionCatalog(this.storyStartMs, this.events, () => this.now());
    this.fleet = new RdsFleet(this.storyStartMs, this.databaseEndpoint, this.events, () => this.now());
  }

  async injectFault(fault: Fault | unknown): Promise<Fault> {
    const parsed = parseFault(fault);
    this.faultBook.inject(parsed);
    return parsed;
  }

  async clearFaults(service?: AwsService | string, operation?: string): Promise<void> {
    if (service !== undefined && !isAwsService(service))
      throw new SandboxInputError('InvalidFault', `Unknown service ${service}`);
    this.faultBook.clear(service, operation);
  }

  faults(): Fault[] {
    return this.faultBook.list();
  }

  /** The fault an incoming call suffers, if any (counts against `remaining`). */
  takeFault(service: AwsService, operation: string): Fault | undefined {
    return this.faultBook.take(service, operation);
  }

  /** Whether this request meets a behaviour fault (counts against `remaining` when it does). */
  takeBehaviourFault(kind: BehaviourFaultKind): Fault | undefined {
    return this.faultBook.takeBehaviour(kind);
  }

  recordCall(service: string, operation: string): void {
    this.ledger.record(service, operation);
  }

  calls(): CallCounts {
    return this.ledger.snapshot();
  }

  recordFilterPattern(pattern: string): void {
    this.ledger.recordFilterPattern(pattern);
  }

  /** FilterLogEvents calls by filter pattern since the calls were last reset. */
  filterPatternCalls(): Record<string, number> {
    return this.ledger.filterPatterns();
  }

  resetCalls(): void {
    this.ledger.reset();
  }

  timeline(): TimelineEvent[] {
    return this.events.until(this.now());
  }

  /**
   * One application log line written by a function now, as if a request had logged it. Tests use it
   * to put exact text (a leaked secret, say) into a log group. With `lateSeconds`, the line is
   * stamped that long ago, as a line CloudWatch ingests late appears: new, but behind the newest.
   */
  writeLogLine(functionName: string, message: string, lateSeconds = 0): void {
    const fn = this.catalog.list().find((f) => f.story.name === functionName);
    if (!fn) throw new SandboxInputError('UnknownFunction', `No function named ${functionName}`);
    if (message.length === 0 || message.length > 10_000) {
      throw new SandboxInputError('InvalidBody', 'message must be 1 to 10000 characters');
    }
    if (!Number.isFinite(lateSeconds) || lateSeconds < 0 || lateSeconds > 3600) {
      throw new SandboxInputError('InvalidBody', 'lateSeconds must be 0 to 3600');
    }
    const atMs = this.now() - Math.round(lateSeconds * 1000);
    this.recordInvocation({
      functionName,
      startMs: atMs - 1,
      durationMs: 1,
      failed: false,
      version: this.aliasVersionAt(functionName, atMs),
      resource: functionName,
      requestId: `log-${atMs.toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
      memoryUsedMb: 90,
      lines: [{ offsetMs: 0, message: message.endsWith('\n') ? message : `${message}\n` }],
    });
  }

  /**
   * `count` failed requests through a function's alias, spread over the last `count` seconds, each
   * logging an error: a bad release after the migration, for the error-rate item to catch.
   */
  failInvocations(functionName: string, count: number): { failed: number; at: string } {
    const fn = this.catalog.list().find((f) => f.story.name === functionName);
    if (!fn) throw new SandboxInputError('UnknownFunction', `No function named ${functionName}`);
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      throw new SandboxInputError('InvalidBody', 'count must be an integer from 1 to 1000');
    const now = this.now();
    for (let i = 0; i < count; i++) {
      const startMs = now - (count - i) * 1000;
      const requestId = `fail-${startMs.toString(36)}-${i.toString(36)}`;
      this.recordInvocation({
        functionName,
        startMs,
        durationMs: 120,
        failed: true,
        version: this.aliasVersionAt(functionName, startMs),
        resource: `${functionName}:${storyNames.alias}`,
        requestId,
        memoryUsedMb: 140,
        lines: [
          {
            offsetMs: 100,
            message: `[ERROR]\t${new Date(startMs + 100).toISOString()}\t${requestId}\tRuntimeError: upstream credential service answered 502 (injected by the sandbox)\n`,
          },
        ],
      });
    }
    return { failed: count, at: new Date(now).toISOString() };
  }

  /** New code on a function's $LATEST, as a deploy without publishing does (then PublishVersion makes a version). */
  async deployFunctionCode(functionName: string): Promise<FunctionVersion> {
    const fn = this.catalog.list().find((f) => f.story.name === functionName);
    if (!fn) throw new SandboxInputError('UnknownFunction', `No function named ${functionName}`);
    return { ...this.catalog.deployCode(fn) };
  }

  recordInvocation(invocation: RecordedInvocation): void {
    const list = this.recorded.get(invocation.functionName) ?? [];
    list.push(invocation);
    this.recorded.set(invocation.functionName, list);
  }

  migrationsAppliedAt(): string | null {
    const applied = this.events.latest('migration-applied', this.now());
    return applied ? new Date(applied.atMs).toISOString() : null;
  }

  // --- what traffic reads (TrafficWorld) ---

  historyStartMs(): number {
    return this.storyStartMs - historyMs;
  }

  aliasVersionAt(functionName: string, atMs: number): string {
    return this.catalog.aliasVersionAt(functionName, storyNames.alias, atMs);
  }

  aliasChangesBetween(functionName: string, fromMs: number, toMs: number): number[] {
    return this.events.changesBetween('alias-changed', `${functionName}:${storyNames.alias}`, fromMs, toMs);
  }

  notificationPreferencesMissingAt(atMs: number): boolean {
    return this.events.latest('migration-applied', atMs, preferencesRevision) === undefined;
  }

  readsNotificationPreferences(functionName: string, version: string): boolean {
    const since = functionStories.find((s) => s.name === functionName)?.notificationPreferencesSince;
    return since !== undefined && (version === '$LATEST' || Number(version) >= since);
  }

  recordedBetween(functionName: string, fromMs: number, toMs: number): readonly RecordedInvocation[] {
    return (this.recorded.get(functionName) ?? []).filter((r) => r.startMs >= fromMs && r.startMs < toMs);
  }

  /** Someone ran the migrations without the control API (e.g. through pg): traffic follows the database. */
  private noticeMigrationsAppliedElsewhere(revision: string[]): void {
    const index = Math.max(
      ...revision.map((r) => revisionChain.indexOf(r as (typeof revisionChain)[number])),
    );
    if (
      index >= revisionChain.indexOf(preferencesRevision) &&
      this.notificationPreferencesMissingAt(this.now())
    )
      this.events.record(
        this.now(),
        'migration-applied',
        `Migrations found applied in the database (${notificationPreferencesTable} exists)`,
        preferencesRevision,
        revision.join(','),
      );
  }
}
