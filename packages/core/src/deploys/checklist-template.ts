import type { ChecklistPhase } from '@flightdeck/contracts';

/** The automatic rules Flightdeck evaluates over live data. */
export type ReadinessRuleId =
  | 'snapshot-available'
  | 'database-at-head'
  | 'no-schema-drift'
  | 'error-rate-zero'
  | 'p99-within-baseline'
  | 'no-schema-errors-since-migration'
  | 'health-url-ok'
  | 'aliases-published';

export interface ChecklistTemplateItem {
  id: string;
  phase: ChecklistPhase;
  title: string;
  /** Set for an automatic item; absent for an item a lead signs off. */
  rule?: ReadinessRuleId;
  /** How long an automatic item's evidence counts; older evidence shows stale. */
  freshnessSeconds?: number;
}

/**
 * The story's production readiness checklist, with the boxes that live data can answer turned
 * into rules and the rest left to a lead's judgement.
 */
export const defaultChecklistTemplate: ChecklistTemplateItem[] = [
  {
    id: 'snapshot',
    phase: 'pre-deploy',
    title: 'RDS snapshot created and verified available',
    rule: 'snapshot-available',
  },
  {
    id: 'lambda-versions',
    phase: 'pre-deploy',
    title: 'Lambda versions documented, rollback targets published',
    rule: 'aliases-published',
  },
  { id: 'frontend-commit', phase: 'pre-deploy', title: 'Frontend commit documented and tagged' },
  { id: 'rollback-procedures', phase: 'pre-deploy', title: 'Rollback procedures documented' },
  {
    id: 'migration-tested',
    phase: 'pre-deploy',
    title: 'Migration SQL tested locally, reserved keywords handled',
  },
  {
    id: 'alembic-at-head',
    phase: 'during',
    title: 'Alembic version updated to target, nothing pending',
    rule: 'database-at-head',
  },
  {
    id: 'schema-applied',
    phase: 'during',
    title: 'All tables, columns and indexes created (no schema drift)',
    rule: 'no-schema-drift',
  },
  { id: 'health', phase: 'post-deploy', title: 'Application health checked', rule: 'health-url-ok' },
  {
    id: 'error-rate',
    phase: 'post-deploy',
    title: 'Error rates at zero (last 10 minutes)',
    rule: 'error-rate-zero',
  },
  {
    id: 'response-times',
    phase: 'post-deploy',
    title: 'Response times normal (p99 against the baseline)',
    rule: 'p99-within-baseline',
  },
  {
    id: 'schema-errors',
    phase: 'post-deploy',
    title: 'No schema errors in the logs since the migration',
    rule: 'no-schema-errors-since-migration',
  },
  {
    id: 'workflows',
    phase: 'post-deploy',
    title: 'Notification preferences, messaging and end-to-end workflows tested',
  },
  { id: 'no-regression', phase: 'monitoring', title: 'No regression in existing features over 24 hours' },
];
