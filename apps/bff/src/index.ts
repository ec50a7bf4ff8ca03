export { buildServer, type ServerDeps } from './server.js';
export { startFlightdeck, createSourceHub, type RunningFlightdeck } from './flightdeck.js';
export { loadConfig, parseConfig, ConfigError, type FlightdeckConfig, type Role } from './config.js';
export { AlembicSource } from './sources/alembic-source.js';
export {
  DirectTargetDatabase,
  LambdaTargetDatabase,
  type TargetDatabase,
} from './sources/revision-readers.js';
export * as deployRepository from './deploys/deploy-repository.js';
export { up as migrateDeployTables } from './store/migrations/0002_deploys.js';
export type { DeployTables } from './store/deploy-tables.js';
export { StoreRollbackRepository } from './actions/store-rollback-repository.js';
export { up as migrateRollbackTables } from './store/migrations/0003_rollbacks.js';
export type { RollbackTables } from './store/rollback-tables.js';
export type { StoredRollback } from './actions/rollback-jobs.js';
export { RollbackService } from './actions/rollback-service.js';
export { createAwsClients } from './sources/aws-clients.js';
export { openStore, type Store, type StoreTables } from './store/store.js';
export { StoreError } from './store/store-error.js';
export { ServerLeaderElection, type Leadership } from './store/leader-election.js';
export { PublishedStates } from './store/published-states.js';
export { runCli, exitCodes, type CliIo } from './cli.js';
