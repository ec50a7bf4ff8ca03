import type {
  ChecklistItem,
  Deploy,
  DeployDetail,
  MigrationHistoryData,
  OverviewSources,
} from '@flightdeck/contracts';
import {
  checklistItem,
  compareCheckpoint,
  deployVerdict,
  dueCheckpoints,
  evaluateRule,
  liveFacts,
  metricsAsOf,
  renderDeployReport,
  windowMetrics,
  type ChecklistTemplateItem,
  type HealthReading,
} from '@flightdeck/core';
import type { Kysely } from 'kysely';
import type { FlightdeckConfig } from '../../config.js';
import type { DeployTables } from './store/deploy-tables.js';
import * as repo from './store/deploy-repository.js';
import { preMigrationSnapshotName, type SnapshotTaker } from './pre-migration-snapshot.js';
import { Conflict, Forbidden, NotFound, Unavailable } from '../../platform/errors/errors.js';

export interface DeployServiceDeps {
  db: Kysely<DeployTables>;
  environment: string;
  settings: FlightdeckConfig['deploys'];
  template: ChecklistTemplateItem[];
  dbInstance: string;
  region: string;
  sources(): OverviewSources;
  history(): MigrationHistoryData | null;
  snapshots: SnapshotTaker;
  readHealth(url: string): Promise<HealthReading>;
  /** Scenario time in sandbox mode, wall time otherwise: evidence ages and checkpoints follow it. */
  now(): string;
}

const watchItemId = (hours: number) => `watch-${hours}h`;

/** Deploys: prepare with a baseline and a snapshot, evaluate the checklist, sign-offs, the report. */
export class DeployService {
  constructor(private readonly deps: DeployServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** The template plus one monitoring item per watch checkpoint. */
  template(): ChecklistTemplateItem[] {
    const freshness = this.deps.settings.freshnessSeconds;
    return [
      ...this.deps.template.map((t) => (t.rule ? { freshnessSeconds: freshness, ...t } : t)),
      ...this.deps.settings.watchCheckpointHours.map((h): ChecklistTemplateItem => ({
        id: watchItemId(h),
        phase: 'monitoring',
        title: `Watch checkpoint T+${h} h: error rate, p99, invocations and schema errors against the baseline`,
        // A checkpoint is measured once: its evidence never goes stale.
        rule: 'error-rate-zero',
        freshnessSeconds: Number.MAX_SAFE_INTEGER,
      })),
    ];
  }

  async prepare(preparedBy: string): Promise<Deploy> {
    const active = await repo.activeDeploy(this.db, this.deps.environment);
    if (active) throw activeConflict(active);
    const sources = this.deps.sources();
    const alembic = sources.alembic.data;
    const lambda = sources.lambda.data;
    if (!alembic || !lambda)
      throw new Unavailable(
        'SourcesNotReady',
        'The Alembic and Lambda sources have not answered yet: the baseline cannot be recorded. Try again in a few seconds.',
      );
    const now = this.deps.now();
    const snapshot = {
      identifier: preMigrationSnapshotName(this.deps.dbInstance, now),
      instance: this.deps.dbInstance,
    };
    const deploy: Omit<Deploy, 'migratedAt'> = {
      // 20260203T062934Z, not 20260203-062934: fourteen digits joined by a dash read as a card
      // number to the secret redactor, which then hid the id in the 409 that names it.
      id: `${this.deps.environment}-${now.slice(0, 19).replace(/[-:]/g, '')}Z`,
      environment: this.deps.environment,
      phase: 'preparing',
      preparedBy,
      preparedAt: now,
      baseline: {
        databaseRevision: alembic.current[0] ?? null,
        codeHead: alembic.heads[0] ?? null,
        aliases: lambda.functions.map((f) => ({
          functionName: f.functionName,
          alias: f.alias,
          version: f.aliasVersion ?? '$LATEST',
        })),
        frontendRef: this.deps.settings.frontendRef,
        snapshot,
      },
      pendingAtPrepare: alembic.pending,
      baselineMetrics: windowMetrics(sources, now, this.deps.settings.errorWindowMinutes, null),
    };
    // The row first, then the change: a crash between them leaves a deploy whose snapshot is missing, visibly.
    let created: Deploy;
    try {
      created = await repo.createDeploy(this.db, deploy);
    } catch (error) {
      if (error instanceof repo.ActiveDeployExists && error.active) throw activeConflict(error.active);
      throw error;
    }
    try {
      await this.deps.snapshots.create(snapshot.identifier, snapshot.instance);
      await repo.appendDeployEvent(this.db, created.id, {
        kind: 'snapshot-started',
        message: `CreateDBSnapshot ${snapshot.identifier} of ${snapshot.instance}`,
        at: this.deps.now(),
        details: snapshot,
      });
    } catch (error) {
      await repo.appendDeployEvent(this.db, created.id, {
        kind: 'snapshot-failed',
        message: `CreateDBSnapshot ${snapshot.identifier} failed: ${error instanceof Error ? error.message : String(error)}`,
        at: this.deps.now(),
        details: snapshot,
      });
    }
    return created;
  }

  async list(): Promise<Deploy[]> {
    return repo.listDeploys(this.db);
  }

  async detail(id: string): Promise<DeployDetail | null> {
    const deploy = await repo.getDeploy(this.db, id);
    if (!deploy) return null;
    const [evidence, signOffs, timeline] = await Promise.all([
      repo.latestEvidence(this.db, id),
      repo.latestSignOffs(this.db, id),
      repo.deployTimeline(this.db, id),
    ]);
    const now = this.deps.now();
    const checklist: ChecklistItem[] = this.template().map((t) =>
      checklistItem(t, evidence.get(t.id) ?? null, signOffs.get(t.id) ?? null, now),
    );
    return { deploy, checklist, verdict: deployVerdict(checklist), timeline };
  }

  private async manualItem(
    id: string,
    itemId: string,
  ): Promise<{ deploy: Deploy; item: ChecklistTemplateItem }> {
    const deploy = await repo.getDeploy(this.db, id);
    if (!deploy) throw new NotFound('DeployNotFound', `No deploy ${id}.`);
    const item = this.template().find((t) => t.id === itemId);
    if (!item) throw new NotFound('ItemNotFound', `Deploy ${id}'s checklist has no item ${itemId}.`);
    if (item.rule)
      throw new Conflict(
        'ItemIsAutomatic',
        `Item ${itemId} is automatic: its state comes from live data and cannot be signed off or revoked.`,
      );
    return { deploy, item };
  }

  async signOff(id: string, itemId: string, by: string, comment: string): Promise<void> {
    const { deploy } = await this.manualItem(id, itemId);
    if (!this.deps.settings.preparerMaySignOff && deploy.preparedBy === by)
      throw new Forbidden(
        'PreparerMayNotSignOff',
        `${by} prepared deploy ${id}: another lead must sign off its items.`,
      );
    const at = this.deps.now();
    try {
      await repo.signOffItem(this.db, id, itemId, { by, at, comment });
    } catch (error) {
      if (error instanceof repo.SignOffExists) throw new Conflict('AlreadySignedOff', error.message);
      throw error;
    }
    await repo.appendDeployEvent(this.db, id, {
      kind: 'signed-off',
      message: `${by} signed off ${itemId}: ${comment}`,
      at,
      details: { itemId, by, comment },
    });
  }

  async revoke(id: string, itemId: string, by: string, reason: string): Promise<void> {
    await this.manualItem(id, itemId);
    const at = this.deps.now();
    if (!(await repo.revokeSignOff(this.db, id, itemId, { by, at, reason })))
      throw new Conflict('NotSignedOff', `Item ${itemId} has no standing sign-off to revoke.`);
    await repo.appendDeployEvent(this.db, id, {
      kind: 'sign-off-revoked',
      message: `${by} revoked the sign-off of ${itemId}: ${reason}`,
      at,
      details: { itemId, by, reason },
    });
  }

  /**
   * Evaluates the active deploy's automatic items against live data, stores each result with its
   * evidence, and puts what it detects (snapshot available, database at head, checkpoints) on the timeline.
   */
  async evaluate(): Promise<void> {
    const deploy = await repo.activeDeploy(this.db, this.deps.environment);
    if (!deploy) return;
    const now = this.deps.now();
    const sources = this.deps.sources();
    const health = this.deps.settings.healthUrl
      ? await this.deps.readHealth(this.deps.settings.healthUrl)
      : null;
    const facts = liveFacts({
      deploy,
      sources,
      history: this.deps.history(),
      health,
      now,
      errorWindowMinutes: this.deps.settings.errorWindowMinutes,
    });
    const settings = {
      snapshotMaxAgeHours: this.deps.settings.snapshotMaxAgeHours,
      p99TolerancePercent: this.deps.settings.p99TolerancePercent,
      baselineP99Ms: deploy.baselineMetrics?.p99Ms ?? null,
    };
    for (const item of this.template()) {
      if (!item.rule || item.id.startsWith('watch-')) continue;
      const result = evaluateRule(item.rule, facts, settings);
      if (result) await repo.recordEvidence(this.db, deploy.id, item.id, { ...result, evaluatedAt: now });
    }
    await this.detectTransitions(deploy, facts.snapshot?.status ?? null, facts.alembic, now);
    await this.recordCheckpoints(deploy, sources, now);
  }

  private async detectTransitions(
    deploy: Deploy,
    snapshotStatus: string | null,
    alembic: { current: string[]; heads: string[]; pending: string[] } | null,
    now: string,
  ): Promise<void> {
    if (deploy.phase === 'preparing' && snapshotStatus === 'available')
      await repo.setDeployPhase(this.db, deploy.id, 'ready', {
        message: `Snapshot ${deploy.baseline.snapshot?.identifier} is available`,
        at: now,
        details: { snapshot: deploy.baseline.snapshot },
      });
    const atHead =
      alembic && alembic.pending.length === 0 && alembic.heads.every((h) => alembic.current.includes(h));
    if (atHead && !deploy.migratedAt && alembic.current[0] !== deploy.baseline.databaseRevision)
      await repo.setDeployPhase(this.db, deploy.id, 'monitoring', {
        message: `Alembic revision moved ${deploy.baseline.databaseRevision} → ${alembic.current.join(', ')}; watching`,
        at: now,
        migratedAt: now,
        details: { from: deploy.baseline.databaseRevision, to: alembic.current },
      });
  }

  private async recordCheckpoints(deploy: Deploy, sources: OverviewSources, now: string): Promise<void> {
    if (!deploy.migratedAt) return;
    const evidence = await repo.latestEvidence(this.db, deploy.id);
    const hours = this.deps.settings.watchCheckpointHours;
    const recorded = hours.filter((h) => evidence.has(watchItemId(h)));
    // A checkpoint measures its own moment: metrics fetched before it (the scenario clock just jumped,
    // the source has not refreshed) leave it due for a later evaluation.
    const asOf = metricsAsOf(sources);
    if (!asOf) return;
    const measuredUpTo = Date.parse(asOf) < Date.parse(now) ? asOf : now;
    const due = dueCheckpoints(deploy.migratedAt, measuredUpTo, hours, recorded);
    const current = windowMetrics(sources, now, this.deps.settings.errorWindowMinutes, deploy.migratedAt);
    if (due.length === 0 || !current) return;
    const baseline = deploy.baselineMetrics ?? { invocations: 0, errors: 0, p99Ms: null, schemaErrors: 0 };
    for (const h of due) {
      const c = compareCheckpoint(baseline, current, {
        p99TolerancePercent: this.deps.settings.p99TolerancePercent,
      });
      const value = `${current.invocations} invocations, ${current.errors} errors (${c.errorRatePercent.toFixed(2)} %), p99 ${current.p99Ms ?? 'n/a'} ms, ${current.schemaErrors} schema errors${c.regressed ? `; moved: ${c.changes.join('; ')}` : '; nothing moved'}`;
      await repo.recordEvidence(this.db, deploy.id, watchItemId(h), {
        question: `At T+${h} h, does anything regress against the baseline?`,
        value,
        passed: !c.regressed,
        evaluatedAt: now,
      });
      await repo.appendDeployEvent(this.db, deploy.id, {
        kind: 'checkpoint',
        message: `T+${h} h: ${value}`,
        at: now,
        details: { hours: h, metrics: current, baseline, changes: c.changes },
      });
      if (h === Math.max(...hours))
        await repo.setDeployPhase(this.db, deploy.id, 'done', { message: 'The watch is over', at: now });
    }
  }

  async report(id: string): Promise<string | null> {
    const detail = await this.detail(id);
    if (!detail) return null;
    const history = this.deps.history();
    const sources = this.deps.sources();
    const applied = (history?.revisionSummaries ?? [])
      .filter((r) => detail.deploy.pendingAtPrepare.includes(r.revision))
      .map((r) => ({
        revision: r.revision,
        description: r.message ?? '',
        tables: r.counts.tables,
        columns: r.counts.columns,
        indexes: r.counts.indexes,
        enumValues: r.counts.enumValues,
      }));
    return renderDeployReport({
      detail,
      applied,
      currentRevision: sources.alembic.data?.current[0] ?? null,
      metricsBefore: detail.deploy.baselineMetrics,
      metricsAfter: detail.deploy.migratedAt
        ? windowMetrics(
            sources,
            this.deps.now(),
            this.deps.settings.errorWindowMinutes,
            detail.deploy.migratedAt,
          )
        : null,
      region: this.deps.region,
    });
  }
}

function activeConflict(active: Deploy): Error {
  return new Conflict(
    'DeployActive',
    `Deploy ${active.id} is already active in ${active.environment} (phase ${active.phase}, prepared by ${active.preparedBy}); finish or roll it back first.`,
  );
}
