// The feature modules in the order they are registered (a module comes after those whose
// decorators it uses; its plugin declares them as dependencies), and the store schema they need.
import type { FastifyPluginAsync, FastifyPluginCallback } from 'fastify';
import type { Migration } from 'kysely';
import { accountModule } from './modules/account/plugin.js';
import { auditModule } from './modules/audit/plugin.js';
import * as deployTables from './modules/deploys/store/0002_deploys.js';
import * as deployLifecycle from './modules/deploys/store/0005_deploy_lifecycle.js';
import * as deployToldVerdict from './modules/deploys/store/0008_deploy_told_verdict.js';
import * as evidenceAge from './modules/deploys/store/0009_evidence_age.js';
import * as deployRecord from './modules/deploys/store/0010_deploy_record.js';
import { deploysModule } from './modules/deploys/plugin.js';
import { locksModule } from './modules/locks/plugin.js';
import * as deployLocks from './modules/locks/store/0012_deploy_locks.js';
import { logsModule } from './modules/logs/plugin.js';
import { metricsModule } from './modules/metrics/plugin.js';
import { migrationsModule } from './modules/migrations/plugin.js';
import { overviewModule } from './modules/overview/plugin.js';
import * as rollbackTables from './modules/rollbacks/store/0003_rollbacks.js';
import { notificationsModule } from './modules/notifications/plugin.js';
import * as notificationTables from './modules/notifications/store/0006_notifications.js';
import { rollbacksModule, type RollbacksModuleOptions } from './modules/rollbacks/plugin.js';
import * as tokenTables from './modules/tokens/store/0007_api_tokens.js';
import { tokensModule } from './modules/tokens/plugin.js';
import { platformMigrations } from './platform/store/migrations/index.js';

export const featureModules: Array<FastifyPluginAsync | FastifyPluginCallback<RollbacksModuleOptions>> = [
  overviewModule,
  migrationsModule,
  metricsModule,
  logsModule,
  accountModule,
  auditModule,
  tokensModule,
  notificationsModule,
  locksModule,
  deploysModule,
  rollbacksModule,
];

/** Every schema version, platform and modules, in one sequence named `<NNNN>_<what>`. */
export const storeMigrations: Record<string, Migration> = {
  ...platformMigrations,
  [deployTables.name]: deployTables,
  [rollbackTables.name]: rollbackTables,
  [deployLifecycle.name]: deployLifecycle,
  [notificationTables.name]: notificationTables,
  [evidenceAge.name]: evidenceAge,
  [tokenTables.name]: tokenTables,
  [deployToldVerdict.name]: deployToldVerdict,
  [deployLocks.name]: deployLocks,
  [deployRecord.name]: deployRecord,
};
