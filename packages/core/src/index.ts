export * from './rds/latest-snapshot.js';
export * from './text/count-of.js';
export * from './lambda/rollback-version.js';
export * from './metrics/lambda-metrics.js';
export * from './redact/redact-secrets.js';
export * from './metrics/metrics-window.js';
export * from './metrics/statistic-batches.js';
export * from './aws/resource-names.js';
export * from './aws/iam-policy.js';
export * from './metrics/marker-comparison.js';
export * from './metrics/deploy-markers.js';
export * from './metrics/downsample.js';
export * from './metrics/chart-window.js';
export * from './logs/token-bucket.js';
export * from './logs/tail-buffer.js';
export * from './logs/log-line.js';
export * from './logs/schema-errors.js';
export * from './logs/filter-pattern.js';
// Alembic revision graph, database position, migration analysis and lint (issue #4)
export { parseRevisionScript } from './alembic/parse-revision-script.js';
export type { ParsedRevisionScript, RevisionScript } from './alembic/parse-revision-script.js';
export { buildRevisionGraph, isRevisionFile, readVersionsFolder } from './alembic/revision-graph.js';
export type { RevisionGraph, VersionFile } from './alembic/revision-graph.js';
export { locateDatabase } from './alembic/database-position.js';
export type { DatabasePosition } from './alembic/database-position.js';
export { initSqlParser, isSqlParserReady } from './sql/pg-parser.js';
export {
  isReservedKeyword,
  reservedKeywords,
  reservedTypeOrFunctionKeywords,
} from './sql/reserved-keywords.js';
export {
  summarizeRevisionDowngrade,
  summarizeRevisionScript,
  summarizeSql,
  summarizeStatements,
} from './migrations/summarize.js';
export { planRollbackOrder, reviewDowngrade } from './rollback/rollback-order.js';
export type {
  BreakingChange,
  DowngradeReview,
  RevisionForRollback,
  RollbackOrder,
  RollbackStepKind,
} from './rollback/rollback-order.js';
export type { MigrationSummary, SqlSummaryOptions } from './migrations/summarize.js';
export { offlineRevisionMarkers, summarizeOfflineSql } from './migrations/offline-sql.js';
export type { OfflineRevisionMarker } from './migrations/offline-sql.js';
export type {
  AnalyzedStatement,
  ColumnAlteration,
  ColumnSpec,
  ConstraintKind,
  ConstraintSpec,
  DataVerb,
  ForeignKeyTarget,
  IndexSpec,
  SchemaChange,
  StatementProblemKind,
} from './migrations/schema-change.js';
export { lockImpact, lockLevels, lockStrength, strongestPerTable } from './migrations/locks.js';
export type { LockLevel, TableLock } from './migrations/locks.js';
export { countBySeverity, sortFindings } from './migrations/finding.js';
export type {
  FindingCounts,
  FindingSeverity,
  LockWork,
  MigrationFinding,
  TableSizeEstimate,
} from './migrations/finding.js';
export {
  defaultTableSizeSettings,
  formatBytes,
  formatDuration,
  formatRows,
  weighFindings,
} from './migrations/table-size.js';
export type { TableSize, TableSizeSettings } from './migrations/table-size.js';
export { applySuppressions, readSuppressions } from './migrations/suppressions.js';
export type { Suppression } from './migrations/suppressions.js';
export { lintGithubCommands, lintSarif } from './migrations/lint-output.js';
export type { SarifOptions } from './migrations/lint-output.js';
export { replaceBindParameters } from './sql/bind-parameters.js';
export type { BindParameterStyle } from './sql/bind-parameters.js';
export { lintMigration, lintMigrations } from './migrations/lint.js';
export type { EnumValue, LintContext, LintRunOptions } from './migrations/lint.js';
export { lintRules } from './migrations/lint-rules.js';
export type { LintRule } from './migrations/lint-rules.js';
export { typeChangeCost } from './migrations/type-rewrite.js';
export type { TypeChangeCost } from './migrations/type-rewrite.js';
export { expectedSchema } from './migrations/expected-schema.js';
export type { ExpectedSchema } from './migrations/expected-schema.js';
export { compareSchema, describeDrift, driftFindings, hasMissingObjects } from './migrations/drift.js';
export type { ActualSchema, CompareOptions, SchemaDrift, TableColumn } from './migrations/drift.js';
export { buildMigrationReport, formatMigrationReport } from './migrations/format-report.js';
export type {
  MigrationReport,
  MigrationReportInput,
  ReportMigration,
  ReportRevision,
  RevisionState,
} from './migrations/format-report.js';
// Deploys: readiness checklist, verdict, watch and report (issue #10)
export {
  defaultChecklistTemplate,
  legacyChecklistTemplate,
  storyChecklistTemplate,
} from './deploys/checklist-template.js';
export type {
  ChecklistRule,
  ChecklistRuleType,
  ChecklistTemplateItem,
  LintSeverity,
  MetricComparison,
} from './deploys/checklist-template.js';
export {
  asChecklistTemplate,
  checklistConfigProblems,
  checklistRuleParameters,
  checklistRuleTypes,
} from './deploys/checklist-config.js';
export { evaluateRule, isLiveRule } from './deploys/readiness-rules.js';
export type {
  FactSource,
  FactSourceState,
  LiveFacts,
  LiveRule,
  RuleResult,
  RuleSettings,
} from './deploys/readiness-rules.js';
export {
  judgeAlarms,
  judgeHttpCheck,
  judgeMetricThreshold,
  judgeMigrationLint,
  judgeSqlCheck,
} from './deploys/probe-rules.js';
export type {
  AlarmReading,
  HttpReading,
  LintReading,
  MetricReading,
  SqlReading,
} from './deploys/probe-rules.js';
export { checklistItem, defaultFreshnessSeconds, deployVerdict } from './deploys/checklist-state.js';
export {
  allowedTransitions,
  applyTransition,
  currentGate,
  endedPhases,
  gateQuestions,
  gateVerdicts,
  isEnded,
  itemJudgement,
  observedTransition,
  opensWhen,
} from './deploys/deploy-lifecycle.js';
export type { ObservedState, ObservedTransition, TransitionContext } from './deploys/deploy-lifecycle.js';
export { compareCheckpoint, dueCheckpoints } from './deploys/watch-checkpoints.js';
export type { CheckpointComparison, WatchTolerance } from './deploys/watch-checkpoints.js';
export { renderDeployReport } from './deploys/deploy-report.js';
export type { AppliedRevision, DeployReportInput } from './deploys/deploy-report.js';
export { liveFacts, metricsAsOf, sourceStandings, windowMetrics } from './deploys/live-facts.js';
export type { HealthReading, SchemaErrorCountSince } from './deploys/live-facts.js';
export { errorRateAfterRollback, type ErrorRateCheck } from './rollback/error-rate-after.js';
export * from './notifications/deliveries.js';
// The migration minute: who holds and who waits for locks on the target database (issue 20)
export {
  flightdeckApplicationName,
  insufficientPrivilege,
  lockPollParams,
  lockPollSql,
  lockQueryTextChars,
  readLockRows,
} from './locks/lock-query.js';
export type { PolledSession, SessionSettings } from './locks/lock-query.js';
export {
  blockedBehind,
  blockerReasons,
  buildLockView,
  findBlockers,
  findMigrationSession,
  formatSeconds,
  lockTimeoutGuidance,
  locksConflict,
  migrationTimeouts,
  releaseTableLocks,
  statementTaking,
  timeoutGuidance,
} from './locks/lock-view.js';
export type { LockViewSettings } from './locks/lock-view.js';
export { LockMeasurement, renderLockMeasurement } from './locks/lock-measurement.js';
export { judgeLockBlockers } from './locks/lock-rule.js';
export type { LockReading } from './locks/lock-rule.js';
export {
  describeEpisode,
  errorEpisodes,
  errorRateText,
  isRecordEvent,
  recordKindWords,
  recordMarkerKinds,
} from './deploys/deploy-record.js';
export type { ErrorEpisode, RecordEventKind } from './deploys/deploy-record.js';
