// The migration minute: who holds and who waits for locks on the target database, before and
// during a release's migration (pg_stat_activity + pg_locks, one query per poll, leader only), the
// view published live while a deploy is ready or migrating, and what the migration held measured
// into the deploy's report.
import type { LockView, MigrationLockMeasurement, SourceStateOf } from '@flightdeck/contracts';
import type { LockReading } from '@flightdeck/core';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { Collector } from '../../platform/sources/collector.js';
import { LockSource, type LockTarget } from './lock-source.js';
import { lockRoutes } from './locks-routes.js';
import { measurementOf, storeMeasurement, type LockTables } from './store/lock-tables.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The lock view and a deploy's measured lock figures (the deploys module reads both). */
    locks: {
      state(): SourceStateOf<LockView>;
      /** What the no-lock-blockers checklist rule judges. */
      reading(): LockReading;
      /** Which deploy to watch for: called at every poll (the deploys module gives its active deploy). */
      follow(target: () => Promise<LockTarget | null>): void;
      /** The figures measured while a deploy's migration ran; null when none were. */
      measured(deployId: string): Promise<MigrationLockMeasurement | null>;
    };
  }
}

export const locksModule = fp(
  async (app) => {
    const config = app.config;
    const db = app.store.db as unknown as Kysely<LockTables>;
    let target: () => Promise<LockTarget | null> = async () => null;
    const source = new LockSource({
      database: app.upstreams.database,
      settings: {
        ...config.locks,
        blockerMinSeconds: config.deploys.lockBlockerSeconds,
        lockWaitAlertSeconds: config.deploys.lockWaitAlertSeconds,
        lockBlockedAlertCount: config.deploys.lockBlockedAlertCount,
      },
      target: () => target(),
      history: () => app.migrationHistory.state.data ?? null,
      store: async (deployId, measurement) => {
        if (await storeMeasurement(db, deployId, measurement))
          app.log.info({ deployId, tables: measurement.tables.length }, 'migration lock figures stored');
      },
      // Wall time, not the sandbox's scenario clock: lock ages and waits are the database's real seconds.
      alert: (deployId, view) =>
        void app.notifications.emit({
          type: 'deploy.lock-alert',
          deployId,
          summary: `The migration is holding up requests: ${view.alert}`,
          path: `/deploys/${deployId}`,
          data: {
            blocked: view.blocked.length,
            longestWaitSeconds: view.longestWaitSeconds,
            statement: view.migration?.session.query ?? null,
          },
        }),
      now: () => new Date(),
      onStoreError: (error) => app.log.error({ err: error }, 'storing the migration lock figures failed'),
    });
    const collector = new Collector('locks', source, config.locks.readyIntervalMs);
    collector.pace(() => source.intervalMs());
    collector.fetchOnlyWhen(() => app.leadership.leading);
    app.replication.share(collector);
    // Live on the overview's stream while it matters; otherwise a page reads it when it opens.
    collector.onChange((state) => {
      if (source.live || state.data?.migration) app.published.announce('locks', state);
    });
    app.decorate('locks', {
      state: () => collector.state,
      reading: () => ({
        view: collector.state.data,
        error: collector.state.error
          ? `${collector.state.error.code}: ${collector.state.error.message}`
          : null,
        blockerMinSeconds: config.deploys.lockBlockerSeconds,
      }),
      follow: (next) => {
        target = next;
      },
      measured: (deployId) => measurementOf(db, deployId),
    });
    app.leadership.duty({
      name: 'the lock poll',
      start: () => collector.start(),
      stop: () => collector.stop(),
    });
    app.addHook('onClose', async () => collector.stop());
    app.access.declare({ 'GET /api/v1/database/locks': 'viewer', 'GET /api/v1/deploys/:id/locks': 'viewer' });
    await app.register(lockRoutes, {
      environment: config.environment,
      locks: collector,
      measured: (deployId) => measurementOf(db, deployId),
    });
  },
  {
    name: 'flightdeck-locks',
    dependencies: [
      'flightdeck-platform',
      'flightdeck-overview',
      'flightdeck-migrations',
      'flightdeck-notifications',
    ],
  },
);
