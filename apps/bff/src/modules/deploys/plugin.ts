// Deploys: prepare (baseline and pre-migration snapshot), the readiness checklist evaluated by the
// leader against live data, sign-offs, the timeline and the report.
import { defaultChecklistTemplate } from '@flightdeck/core';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { storedDeploys, type DeployBaselines } from './deploy-baselines.js';
import { DeployEvaluator } from './deploy-evaluator.js';
import { DeployService } from './deploy-service.js';
import { deployRoutes } from './deploys-routes.js';
import { readHealth } from './health-check.js';
import { rdsSnapshotTaker } from './pre-migration-snapshot.js';
import type { DeployTables } from './store/deploy-tables.js';

declare module 'fastify' {
  interface FastifyInstance {
    deploys: {
      service: DeployService;
      evaluator: DeployEvaluator;
      /** The deploys rollbacks return to (their baselines), with a fallback for deploys made elsewhere. */
      baselines(fallback: DeployBaselines): DeployBaselines;
    };
  }
}

export const deploysModule = fp(
  async (app) => {
    const config = app.config;
    const db = app.store.db as unknown as Kysely<DeployTables>;
    const service = new DeployService({
      db,
      environment: config.environment,
      settings: config.deploys,
      template: defaultChecklistTemplate,
      dbInstance: config.rds.dbInstanceIdentifier,
      region: config.aws.region,
      sources: () => app.sources.snapshot(),
      history: () => app.migrationHistory.state.data ?? null,
      snapshots: rdsSnapshotTaker(app.upstreams.mutations.rds),
      readHealth: (url) => readHealth(url),
      now: () => app.upstreams.now().toISOString(),
    });
    const evaluator = new DeployEvaluator(service, config.deploys.evaluateMs, app.log);
    app.decorate('deploys', {
      service,
      evaluator,
      baselines: (fallback: DeployBaselines) => storedDeploys(db, config.environment, fallback),
    });
    app.leadership.duty({
      name: 'the deploy evaluator',
      start: () => evaluator.start(),
      stop: () => evaluator.stop(),
    });
    app.access.declare({
      'GET /api/v1/deploys': 'viewer',
      'GET /api/v1/deploys/:id': 'viewer',
      'GET /api/v1/deploys/:id/report': 'viewer',
      'POST /api/v1/deploys': 'ops',
      'POST /api/v1/deploys/:id/items/:itemId/sign-off': 'lead',
      'POST /api/v1/deploys/:id/items/:itemId/revoke': 'lead',
    });
    await app.register(deployRoutes, { deploys: service });
  },
  {
    name: 'flightdeck-deploys',
    dependencies: ['flightdeck-platform', 'flightdeck-overview', 'flightdeck-migrations'],
  },
);
