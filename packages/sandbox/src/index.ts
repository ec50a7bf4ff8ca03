export { startSandbox, type Sandbox, type SandboxOptions } from './start-sandbox.js';
export { storyBaseline, storyNames } from './story.js';
export type { Scenario, ScenarioState, MigrationOutcome } from './scenario/scenario.js';
export type { Fault, FaultKind, AwsService } from './scenario/faults.js';
export type { CallCounts } from './scenario/call-ledger.js';
export type { TimelineEvent, TimelineEventKind } from './scenario/timeline.js';
export type { ClockReading } from './scenario/clock.js';
export { SandboxInputError } from './scenario/input-error.js';
export { revisionSql, revisionsAfter, storyStartSql } from './demo-db/migration-files.js';
