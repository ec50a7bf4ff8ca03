import type { ChecklistPhase } from '@flightdeck/contracts';

/** A rule Flightdeck evaluates over live data, and its parameters (absent ones take the `deploys.*` defaults). */
export type ChecklistRule =
  | { type: 'snapshot-available'; maxAgeHours?: number }
  | { type: 'aliases-published' }
  | { type: 'database-at-head' }
  | { type: 'no-schema-drift' }
  | { type: 'error-rate-zero'; windowMinutes?: number }
  | { type: 'p99-within-baseline'; tolerancePercent?: number }
  | { type: 'no-schema-errors-since-migration' }
  | { type: 'health-url-ok'; url?: string }
  | { type: 'migration-lint'; failOn?: LintSeverity }
  | { type: 'no-lock-blockers'; minTransactionSeconds?: number }
  | { type: 'http-check'; urls: string[]; status?: number; bodyContains?: string; timeoutMs?: number }
  | { type: 'sql-check'; sql: string; expect: string | number | boolean; timeoutMs?: number }
  | { type: 'cloudwatch-alarm'; alarmNames: string[] }
  | {
      type: 'metric-threshold';
      namespace: string;
      metricName: string;
      dimensions?: Record<string, string>;
      statistic: string;
      windowMinutes?: number;
      comparison: MetricComparison;
      threshold: number;
    };

export type ChecklistRuleType = ChecklistRule['type'];
export type LintSeverity = 'error' | 'warning' | 'info';
export type MetricComparison = '<' | '<=' | '>' | '>=' | '==';

export interface ChecklistTemplateItem {
  id: string;
  phase: ChecklistPhase;
  title: string;
  /** Set for an automatic item; absent for an item leads sign off. */
  rule?: ChecklistRule;
  /** How many distinct leads sign off a manual item (1 unless said). */
  signOffs?: number;
  description?: string;
  /** How long an automatic item's evidence counts while its phase is open; older evidence shows stale. */
  freshnessSeconds?: number;
}

/**
 * The story's production readiness checklist, with the boxes that live data (or Flightdeck's own
 * lint) can answer turned into rules and the rest left to a lead's judgement. The sandbox plays it.
 */
export const storyChecklistTemplate: ChecklistTemplateItem[] = [
  {
    id: 'snapshot',
    phase: 'pre-deploy',
    title: 'RDS snapshot created and verified available',
    rule: { type: 'snapshot-available' },
  },
  {
    id: 'lambda-versions',
    phase: 'pre-deploy',
    title: 'Lambda versions documented, rollback targets published',
    rule: { type: 'aliases-published' },
  },
  { id: 'frontend-commit', phase: 'pre-deploy', title: 'Frontend commit documented and tagged' },
  { id: 'rollback-procedures', phase: 'pre-deploy', title: 'Rollback procedures documented' },
  {
    id: 'migration-tested',
    phase: 'pre-deploy',
    title: 'Migration SQL tested locally, reserved keywords handled',
    rule: { type: 'migration-lint', failOn: 'error' },
  },
  {
    id: 'no-lock-blockers',
    phase: 'pre-deploy',
    title: 'No open transaction holds a lock the migration would wait for',
    rule: { type: 'no-lock-blockers' },
  },
  {
    id: 'alembic-at-head',
    phase: 'during',
    title: 'Alembic version updated to target, nothing pending',
    rule: { type: 'database-at-head' },
  },
  {
    id: 'schema-applied',
    phase: 'during',
    title: 'All tables, columns and indexes created (no schema drift)',
    rule: { type: 'no-schema-drift' },
  },
  {
    id: 'health',
    phase: 'post-deploy',
    title: 'Application health checked',
    rule: { type: 'health-url-ok' },
  },
  {
    id: 'error-rate',
    phase: 'post-deploy',
    title: 'Error rates at zero (last 10 minutes)',
    rule: { type: 'error-rate-zero' },
  },
  {
    id: 'response-times',
    phase: 'post-deploy',
    title: 'Response times normal (p99 against the baseline)',
    rule: { type: 'p99-within-baseline' },
  },
  {
    id: 'schema-errors',
    phase: 'post-deploy',
    title: 'No schema errors in the logs since the migration',
    rule: { type: 'no-schema-errors-since-migration' },
  },
  {
    id: 'workflows',
    phase: 'post-deploy',
    title: 'Notification preferences, messaging and end-to-end workflows tested',
  },
  { id: 'no-regression', phase: 'monitoring', title: 'No regression in existing features over 24 hours' },
];

/** The same checklist without the story's feature names: what a team starts from outside the sandbox. */
export const defaultChecklistTemplate: ChecklistTemplateItem[] = storyChecklistTemplate.map((item) =>
  item.id === 'workflows'
    ? { ...item, title: 'The release’s user workflows tested end to end' }
    : item.id === 'error-rate'
      ? // Its window is deploys.errorWindowMinutes, not necessarily the story's ten minutes.
        { ...item, title: 'Error rates at zero over the error window' }
      : item,
);

/**
 * A checklist as deploys stored before checklists were kept with the deploy knew it: the migration
 * item was a lead's sign-off then, and stays one for those deploys.
 */
export const legacyChecklistTemplate = (template: ChecklistTemplateItem[]): ChecklistTemplateItem[] =>
  template.map((item) =>
    item.id === 'migration-tested' ? { id: item.id, phase: item.phase, title: item.title } : item,
  );
