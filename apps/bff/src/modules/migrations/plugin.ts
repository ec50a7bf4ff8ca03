// The Migration History: the code's revisions against the database's, what each pending migration
// does, its findings and the schema drift. Its own collector, polled more slowly than
// alembic_version (it reads the catalog too), by the leader only.
import type { AppliedRevision, MigrationHistoryData } from '@flightdeck/contracts';
import fp from 'fastify-plugin';
import { Collector } from '../../platform/sources/collector.js';
import { MigrationsSource } from './migrations-source.js';
import { migrationRoutes } from './migrations-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Migration History collector (the deploy checklist and the scenario panel read it). */
    migrationHistory: Collector<MigrationHistoryData>;
    /**
     * Who applied which revision, in which deploy: the deploys module (registered after this one)
     * provides the reader; until it does, or without it, the history shows no deploy.
     */
    appliedRevisions: { provide(read: () => Promise<AppliedRevision[]>): void };
  }
}

export const migrationsModule = fp(
  async (app) => {
    const config = app.config;
    const history = new Collector(
      'migrations',
      new MigrationsSource(app.upstreams.database, config.alembic.versionsDir!, undefined, config.lint),
      config.intervals.migrationsMs,
    );
    history.fetchOnlyWhen(() => app.leadership.leading);
    app.replication.share(history);
    app.decorate('migrationHistory', history);
    let readApplied: () => Promise<AppliedRevision[]> = async () => [];
    app.decorate('appliedRevisions', {
      provide: (read: () => Promise<AppliedRevision[]>) => {
        readApplied = read;
      },
    });
    app.leadership.duty({
      name: 'the migrations collector',
      start: () => history.start(),
      stop: () => history.stop(),
    });
    app.addHook('onClose', async () => history.stop());
    app.access.declare({ 'GET /api/v1/migrations': 'viewer' });
    await app.register(migrationRoutes, {
      environment: config.environment,
      history,
      appliedBy: () => readApplied(),
    });
  },
  { name: 'flightdeck-migrations', dependencies: ['flightdeck-platform'] },
);
