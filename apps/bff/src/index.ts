export { buildServer, type ServerDeps } from './platform/http/server.js';
export { startFlightdeck, createSourceHub, type RunningFlightdeck } from './flightdeck.js';
export { loadConfig, parseConfig, ConfigError, type FlightdeckConfig, type Role } from './config.js';
export { AlembicSource } from './modules/overview/sources/alembic-source.js';
export {
  DirectTargetDatabase,
  LambdaTargetDatabase,
  type TargetDatabase,
} from './platform/upstreams/target-database.js';
export * as deployRepository from './modules/deploys/store/deploy-repository.js';
export { up as migrateDeployTables } from './modules/deploys/store/0002_deploys.js';
export type { DeployTables } from './modules/deploys/store/deploy-tables.js';
export { StoreRollbackRepository } from './modules/rollbacks/store/store-rollback-repository.js';
export { up as migrateRollbackTables } from './modules/rollbacks/store/0003_rollbacks.js';
export type { RollbackTables } from './modules/rollbacks/store/rollback-tables.js';
export type { StoredRollback } from './modules/rollbacks/rollback-jobs.js';
export { RollbackService } from './modules/rollbacks/rollback-service.js';
export { createAwsClients } from './platform/upstreams/aws-clients.js';
export { openStore, type Store, type StoreTables } from './platform/store/store.js';
export { StoreError } from './platform/store/store-error.js';
export { ServerLeaderElection, type Leadership } from './platform/leadership/leader-election.js';
export { PublishedStates } from './platform/replication/published-states.js';
