import type { ChecklistRule } from './checklist-template.js';
import { countOf } from '../text/count-of.js';

/** What the live data said at one moment; each part is null when its source has nothing yet. */
export interface LiveFacts {
  now: string;
  snapshot: {
    identifier: string;
    status: string;
    percentProgress: number | null;
    createdAt: string | null;
  } | null;
  alembic: { current: string[]; heads: string[]; pending: string[] } | null;
  /** The revision the release brings the database to (the code's head unless the release said). */
  targetRevision: string | null;
  /** Objects the applied migrations promise that the database lacks (or has differently). */
  driftCount: number | null;
  /** Invocations and errors summed over the error window (10 minutes by default). */
  errorWindow: { invocations: number; errors: number; minutes: number } | null;
  /** The same over other windows a checklist item asks for, by minutes. */
  errorWindows?: Record<number, { invocations: number; errors: number; minutes: number }>;
  p99Ms: number | null;
  schemaErrorsSinceMigration: number | null;
  /** The health URLs read this evaluation. */
  health: Array<{ url: string; status: number | null; error: string | null }>;
  aliases: Array<{
    functionName: string;
    alias: string;
    version: string;
    rollbackTarget: string | null;
  }> | null;
}

export interface RuleSettings {
  snapshotMaxAgeHours: number;
  p99TolerancePercent: number;
  /** deploys.healthUrl: what health-url-ok reads when the item names no url. */
  healthUrl?: string | null;
  /** p99 at prepare; null when it was not known yet. */
  baselineP99Ms: number | null;
}

export interface RuleResult {
  question: string;
  value: string;
  passed: boolean;
  /** Still under way (a snapshot being created): pending, neither pass nor fail. */
  waiting?: boolean;
}

const isPublished = (version: string | null) => version !== null && /^\d+$/.test(version);

function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 3_600_000;
}

/** The rule types judged on the live facts every evaluation gathers; the others need a probe of their own. */
export type LiveRule = Extract<
  ChecklistRule,
  {
    type:
      | 'snapshot-available'
      | 'aliases-published'
      | 'database-at-head'
      | 'no-schema-drift'
      | 'error-rate-zero'
      | 'p99-within-baseline'
      | 'no-schema-errors-since-migration'
      | 'health-url-ok';
  }
>;

const liveRuleTypes = new Set<string>([
  'snapshot-available',
  'aliases-published',
  'database-at-head',
  'no-schema-drift',
  'error-rate-zero',
  'p99-within-baseline',
  'no-schema-errors-since-migration',
  'health-url-ok',
]);
export const isLiveRule = (rule: ChecklistRule): rule is LiveRule => liveRuleTypes.has(rule.type);

/** Evaluates one automatic item; null when its source has not answered yet (the item stays pending). */
export function evaluateRule(rule: LiveRule, facts: LiveFacts, settings: RuleSettings): RuleResult | null {
  switch (rule.type) {
    case 'snapshot-available': {
      const s = facts.snapshot;
      if (!s) return null;
      const maxAgeHours = rule.maxAgeHours ?? settings.snapshotMaxAgeHours;
      const question = `Is snapshot ${s.identifier} available and younger than ${maxAgeHours} h?`;
      // Being taken, or not listed by RDS yet (its source refreshes on its own interval): on its way.
      const creating = s.status === 'creating' || s.status === 'pending' || s.status.startsWith('not found');
      if (s.status !== 'available')
        return {
          question,
          value: `${s.status}${s.percentProgress !== null ? ` (${s.percentProgress} %)` : ''}`,
          passed: false,
          // A snapshot being taken is on its way, not a failure.
          ...(creating ? { waiting: true } : {}),
        };
      const age = s.createdAt ? hoursBetween(s.createdAt, facts.now) : Number.POSITIVE_INFINITY;
      const ageText = Number.isFinite(age) ? formatAge(age) : 'unknown age';
      return {
        question,
        value:
          age <= maxAgeHours
            ? `available, ${ageText} old`
            : `available but ${ageText} old: too old to restore from`,
        passed: age <= maxAgeHours,
      };
    }
    case 'database-at-head': {
      const a = facts.alembic;
      if (!a) return null;
      const target = facts.targetRevision;
      if (target === null) {
        const passed = a.pending.length === 0 && a.heads.every((h) => a.current.includes(h));
        return {
          question: 'Is alembic_version at the code’s head with nothing pending?',
          value: passed
            ? `at head ${a.heads.join(', ')}`
            : `at ${a.current.join(', ') || 'no revision'}, head ${a.heads.join(', ')}, ${a.pending.length} pending`,
          passed,
        };
      }
      const passed = a.current.includes(target);
      const atHead = a.heads.every((h) => a.current.includes(h));
      return {
        question: `Is alembic_version at the release’s target ${target}?`,
        value: passed
          ? atHead
            ? `at head ${a.heads.join(', ')}`
            : `at target ${target} (head ${a.heads.join(', ')})`
          : `at ${a.current.join(', ') || 'no revision'}, target ${target}, ${a.pending.length} pending`,
        passed,
      };
    }
    case 'no-schema-drift':
      if (facts.driftCount === null) return null;
      return {
        question: 'Does the database hold every table, column and index the applied migrations promise?',
        value: facts.driftCount === 0 ? 'no drift' : countOf(facts.driftCount, 'difference'),
        passed: facts.driftCount === 0,
      };
    case 'error-rate-zero': {
      const w =
        rule.windowMinutes === undefined
          ? facts.errorWindow
          : (facts.errorWindows?.[rule.windowMinutes] ?? null);
      if (!w) return null;
      const question = `Is the Lambda error rate 0 over the last ${w.minutes} minutes?`;
      // No traffic proves nothing about the new schema: say so rather than show green.
      if (w.invocations === 0)
        return { question, value: `no invocations in the last ${w.minutes} minutes`, passed: false };
      const rate = (w.errors / w.invocations) * 100;
      return {
        question,
        value: `${w.errors} errors in ${w.invocations} invocations (${rate.toFixed(2)} %)`,
        passed: w.errors === 0,
      };
    }
    case 'p99-within-baseline': {
      if (facts.p99Ms === null || settings.baselineP99Ms === null) return null;
      const tolerance = rule.tolerancePercent ?? settings.p99TolerancePercent;
      const limit = settings.baselineP99Ms * (1 + tolerance / 100);
      return {
        question: `Is p99 duration within ${tolerance} % of the baseline ${round(settings.baselineP99Ms)} ms?`,
        value: `p99 ${round(facts.p99Ms)} ms (limit ${round(limit)} ms)`,
        passed: facts.p99Ms <= limit,
      };
    }
    case 'no-schema-errors-since-migration':
      if (facts.schemaErrorsSinceMigration === null) return null;
      return {
        question: 'Are there no "does not exist" schema errors in the logs since the migration?',
        value: `${facts.schemaErrorsSinceMigration} schema errors`,
        passed: facts.schemaErrorsSinceMigration === 0,
      };
    case 'health-url-ok': {
      const url = rule.url ?? settings.healthUrl ?? null;
      const h = facts.health.find((reading) => reading.url === url) ?? null;
      if (!h) return null;
      return {
        question: `Does ${h.url} answer 200?`,
        value: h.error ? `no answer: ${h.error}` : `HTTP ${h.status}`,
        passed: h.status === 200,
      };
    }
    case 'aliases-published': {
      const aliases = facts.aliases;
      if (!aliases) return null;
      const problems = aliases.flatMap((a) => {
        const name = `${a.functionName}:${a.alias}`;
        if (!isPublished(a.version)) return [`${name} points to ${a.version}, not a published version`];
        if (!isPublished(a.rollbackTarget))
          return [
            `${name} has no published rollback target (${a.rollbackTarget ?? 'none'}): pointing it back would change nothing`,
          ];
        return [];
      });
      return {
        question: 'Does every alias point to a published version with a published version to roll back to?',
        value:
          problems.length === 0
            ? aliases
                .map((a) => `${a.functionName}:${a.alias} → ${a.version} (back to ${a.rollbackTarget})`)
                .join('; ')
            : problems.join('; '),
        passed: problems.length === 0 && aliases.length > 0,
      };
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function formatAge(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}
