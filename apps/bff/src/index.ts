// What other packages (the tests, the bench) use of the BFF; everything else stays inside.
import type { Kysely } from 'kysely';
import type { DeployTables } from './modules/deploys/store/deploy-tables.js';
import type { RollbackTables } from './modules/rollbacks/store/rollback-tables.js';
import { storeMigrations } from './modules.js';
import { up as deployTablesUp } from './modules/deploys/store/0002_deploys.js';
import { up as deployLifecycleUp } from './modules/deploys/store/0005_deploy_lifecycle.js';
import { up as deployToldVerdictUp } from './modules/deploys/store/0008_deploy_told_verdict.js';
import { up as evidenceAgeUp } from './modules/deploys/store/0009_evidence_age.js';
import { up as deployRecordUp } from './modules/deploys/store/0010_deploy_record.js';
import {
  openStore as openStoreWith,
  type Store as PlatformStore,
  type StoreSettings,
  type StoreTables,
} from './platform/store/store.js';

export { startFlightdeck, type RunningFlightdeck } from './flightdeck.js';
export { parseConfig, type Role } from './config.js';
export { AlembicSource } from './modules/overview/sources/alembic-source.js';
export { DirectTargetDatabase } from './platform/upstreams/target-database.js';
export * as deployRepository from './modules/deploys/store/deploy-repository.js';
export { up as migrateDeployTablesAsFirstStored } from './modules/deploys/store/0002_deploys.js';
export { up as migrateDeployLifecycle } from './modules/deploys/store/0005_deploy_lifecycle.js';
export { up as migrateEvidenceAge } from './modules/deploys/store/0009_evidence_age.js';
export type { DeployTables } from './modules/deploys/store/deploy-tables.js';
export { StoreRollbackRepository } from './modules/rollbacks/store/store-rollback-repository.js';
export { up as migrateRollbackTables } from './modules/rollbacks/store/0003_rollbacks.js';
export type { RollbackTables } from './modules/rollbacks/store/rollback-tables.js';
export type { StoredRollback } from './modules/rollbacks/rollback-jobs.js';
export { RollbackService } from './modules/rollbacks/rollback-service.js';
export { createAwsClients } from './platform/upstreams/aws-clients.js';
export { StoreError } from './platform/store/store-error.js';
export { ServerLeaderElection } from './platform/leadership/leader-election.js';
export { PublishedStates } from './platform/replication/published-states.js';
export { runCli, exitCodes } from './cli/cli.js';

/** Every table of Flightdeck's store: the platform's and the modules'. */
type AllStoreTables = StoreTables & DeployTables & RollbackTables;

/** Flightdeck's store as `startFlightdeck` opens it, typed with every module's tables. */
export type Store = Omit<PlatformStore, 'db'> & { db: Kysely<AllStoreTables> };

/** Flightdeck's store with every module's schema, as `startFlightdeck` opens it. */
export async function openStore(
  settings: Omit<StoreSettings, 'migrations'>,
  log?: { warn(message: string): void },
): Promise<Store> {
  return (await openStoreWith({ ...settings, migrations: storeMigrations }, log)) as Store;
}

/** The store with its schema as it stood at `lastMigration`: for tests that migrate forward from there. */
export async function openStoreAsOf(
  settings: Omit<StoreSettings, 'migrations'>,
  lastMigration: string,
): Promise<Store> {
  const upTo = Object.fromEntries(Object.entries(storeMigrations).filter(([name]) => name <= lastMigration));
  return (await openStoreWith({ ...settings, migrations: upTo })) as Store;
}

/** The deploy tables as the store migrations build them (0002, 0005, 0008, 0009, then 0010), for repository tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateDeployTables(db: Kysely<any>): Promise<void> {
  await deployTablesUp(db);
  await deployLifecycleUp(db);
  await deployToldVerdictUp(db);
  await evidenceAgeUp(db);
  await deployRecordUp(db);
}
