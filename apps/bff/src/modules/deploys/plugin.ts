// Deploys: a release's whole life in one environment — prepare (baseline and pre-migration
// snapshot), the phases and the transitions that move them, the team's checklist evaluated by the
// leader against live data, sign-offs, the gates' verdicts, the timeline and the report.
import {
  asChecklistTemplate,
  defaultChecklistTemplate,
  legacyChecklistTemplate,
  secretRedactor,
  storyChecklistTemplate,
} from '@flightdeck/core';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { storedDeploys, type DeployBaselines } from './deploy-baselines.js';
import { DeployEvaluator } from './deploy-evaluator.js';
import { DeployFeed } from './deploy-feed.js';
import { liveProbes } from './checklist-probes.js';
import { DeployRecorder, type RollbackJobFacts, type RollbackRefusal } from './deploy-record.js';
import { DeployService } from './deploy-service.js';
import { lintRelease } from './release-lint.js';
import { deployRoutes } from './deploys-routes.js';
import { readHealth } from './health-check.js';
import { rdsSnapshotTaker } from './pre-migration-snapshot.js';
import type { DeployTables } from './store/deploy-tables.js';
import { filterLogEventsReader } from '../../platform/upstreams/log-events-reader.js';

declare module 'fastify' {
  interface FastifyInstance {
    deploys: {
      service: DeployService;
      evaluator: DeployEvaluator;
      /** The deploys rollbacks return to (their baselines), with a fallback for deploys made elsewhere. */
      baselines(fallback: DeployBaselines): DeployBaselines;
      /**
       * A rollback job of a deploy moved on (verifying, cut-over pending, failed, succeeded): an
       * event on its timeline, once per state; on success the deploy ends rolled back, the job linked.
       */
      rollbackFinished(job: {
        id: string;
        deployId: string;
        kind: string;
        target: string;
        state: string;
        requestedBy: string;
        error?: string | null;
        verification?: Array<{ check: string; ok: boolean; detail: string; pending?: boolean }>;
      }): Promise<void>;
      /** A rollback job of a deploy was started: an event on its timeline, once per job. */
      rollbackStarted(job: RollbackJobFacts): Promise<void>;
      /** A rollback of a deploy was refused (409): an event on its timeline, once per request. */
      rollbackRefused(refusal: RollbackRefusal): Promise<void>;
    };
  }
}

export const deploysModule = fp(
  async (app) => {
    const config = app.config;
    const db = app.store.db as unknown as Kysely<DeployTables>;
    // The sandbox plays the story, with its names; elsewhere nothing speaks of it unless the config does.
    const modeDefault = config.mode === 'sandbox' ? storyChecklistTemplate : defaultChecklistTemplate;
    const service = new DeployService({
      db,
      environment: config.environment,
      settings: config.deploys,
      // Checked at start-up by parseConfig; each deploy keeps the checklist it was prepared with.
      template: config.deploys.checklist ? asChecklistTemplate(config.deploys.checklist) : modeDefault,
      legacyTemplate: legacyChecklistTemplate(modeDefault),
      dbInstance: config.rds.dbInstanceIdentifier,
      region: config.aws.region,
      sources: () => app.sources.snapshot(),
      history: () => app.migrationHistory.state.data ?? null,
      snapshots: rdsSnapshotTaker(app.upstreams.mutations.rds),
      readHealth: (url) => readHealth(url),
      probes: liveProbes({ cloudwatch: app.upstreams.aws.cloudwatch, database: app.upstreams.database }),
      lintRelease: (from, to) => lintRelease(config.alembic.versionsDir!, from, to),
      // The lock view and the measured figures come from the locks module, through its decorator.
      locks: () => app.locks.reading(),
      measuredLocks: (deployId) => app.locks.measured(deployId),
      now: () => app.upstreams.now().toISOString(),
      // The collectors stamp their fetches with the wall clock; the deploy's clock may be the scenario's.
      sourcesNow: () => new Date().toISOString(),
      historyState: () => app.migrationHistory.state,
      schemaErrors: {
        // FilterLogEvents spends the collectors' share of app.upstreams.logsBudget, as the logs panel does.
        read: filterLogEventsReader(app.upstreams.aws.logs, secretRedactor(config.redaction.secretKeys)),
        functionNames: config.functions.map((f) => f.name),
        pattern: config.logs.errorPattern,
        overlapMs: config.logs.tailOverlapSeconds * 1000,
        intervalMs: config.intervals.logsMs,
      },
      notify: (trx, event) => app.notifications.emitWithin(trx, event),
    });
    // Followers of a deploy (its SSE stream) read the store, where every replica's changes meet.
    const feed = new DeployFeed(
      (id) => service.detail(id),
      Math.min(config.deploys.evaluateMs, 1_000),
      app.log,
    );
    app.addHook('onClose', async () => feed.close());
    // The lock poll watches the active deploy: its phase and the revisions its release applies.
    app.locks.follow(async () => {
      const deploy = await service.active();
      return deploy
        ? { deployId: deploy.id, phase: deploy.phase, pendingRevisions: deploy.pendingAtPrepare }
        : null;
    });
    const recorder = new DeployRecorder({
      db,
      environment: config.environment,
      service,
      sources: () => app.sources.snapshot(),
      now: () => app.upstreams.now().toISOString(),
    });
    // The leader evaluates, then writes down what the live data shows happened (once, by key).
    const evaluator = new DeployEvaluator(
      service,
      config.deploys.evaluateMs,
      app.log,
      () => recorder.record(),
      () => feed.pokeAll(),
    );
    app.markerSources.add((from, to) => recorder.markers(from, to));
    app.decorate('deploys', {
      service,
      evaluator,
      baselines: (fallback: DeployBaselines) => storedDeploys(db, config.environment, fallback),
      rollbackFinished: (job) => service.rollbackFinished(job),
      rollbackStarted: (job) => recorder.rollbackStarted(job),
      rollbackRefused: (refusal) => recorder.rollbackRefused(refusal),
    });
    app.leadership.duty({
      name: 'the deploy evaluator',
      start: () => evaluator.start(),
      stop: () => evaluator.stop(),
    });
    app.access.declare({
      'GET /api/v1/deploys': 'viewer',
      'GET /api/v1/deploys/:id': 'viewer',
      'GET /api/v1/deploys/prepare-preview': 'viewer',
      'GET /api/v1/deploys/:id/report': 'viewer',
      'GET /api/v1/deploys/:id/events': 'viewer',
      'POST /api/v1/deploys': 'ops',
      'POST /api/v1/deploys/:id/items/:itemId/sign-off': 'lead',
      'POST /api/v1/deploys/:id/items/:itemId/revoke': 'lead',
      'POST /api/v1/deploys/:id/migration': 'ops',
      'POST /api/v1/deploys/:id/released': 'ops',
      'POST /api/v1/deploys/:id/finish': 'lead',
      'POST /api/v1/deploys/:id/cancel': 'ops',
    });
    app.appliedRevisions.provide(() => service.appliedRevisions());
    await app.register(deployRoutes, { deploys: service, feed });
  },
  {
    name: 'flightdeck-deploys',
    dependencies: [
      'flightdeck-platform',
      'flightdeck-overview',
      'flightdeck-migrations',
      'flightdeck-notifications',
      'flightdeck-locks',
      'flightdeck-metrics',
    ],
  },
);
