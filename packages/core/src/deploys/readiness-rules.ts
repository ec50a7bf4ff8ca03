import type { EvidenceSourceError, FunctionP99 } from '@flightdeck/contracts';
import type { ChecklistRule } from './checklist-template.js';
import { countOf } from '../text/count-of.js';

/** The sources live facts come from; `schema-errors` is the running count's own log reads. */
export type FactSource = 'alembic' | 'rds' | 'metrics' | 'logs' | 'lambda' | 'history' | 'schema-errors';

/** Where a source stands: when its data was fetched (on the deploy's clock) and its latest error. */
export interface FactSourceState {
  fetchedAt: string | null;
  error: { code: string; message: string } | null;
}

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
  /** Each function's p99 over the error window; each is judged against its own baseline. */
  p99ByFunction?: FunctionP99[] | null;
  schemaErrorsSinceMigration: number | null;
  /** From when the schema errors are counted (the migration), when the count runs across windows. */
  schemaErrorsCountedFrom?: string | null;
  /** What that moment was: the migration, or the release of one without migrations. */
  schemaErrorsCountedFromWhat?: 'the migration' | 'the release';
  /** Why the endpoint gave no p99 (it cannot compute percentiles), when it did not. */
  p99Unavailable?: string | null;
  /** Where each source stands; an item is stale while the source it reads is failing. */
  sources?: Partial<Record<FactSource, FactSourceState>>;
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
  /** Each function's p99 at prepare; absent for deploys prepared before it was kept. */
  baselineP99ByFunction?: FunctionP99[] | null;
}

export interface RuleResult {
  question: string;
  value: string;
  passed: boolean;
  /** Still under way (a snapshot being created): pending, neither pass nor fail. */
  waiting?: boolean;
  /** When the data the rule read was fetched; absent when it was read for this evaluation. */
  dataFetchedAt?: string | null;
  /** The source the rule read was failing: the item shows stale with it, never green. */
  sourceError?: EvidenceSourceError | null;
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

/** The source each live rule reads (health-url-ok reads its URL during the evaluation itself). */
const ruleSources: Record<LiveRule['type'], FactSource | null> = {
  'snapshot-available': 'rds',
  'aliases-published': 'lambda',
  'database-at-head': 'alembic',
  'no-schema-drift': 'history',
  'error-rate-zero': 'metrics',
  'p99-within-baseline': 'metrics',
  'no-schema-errors-since-migration': 'schema-errors',
  'health-url-ok': null,
};

/** How a source is named to a person: the count's log reads are the logs source. */
const sourceLabel = (source: FactSource) =>
  source === 'schema-errors' ? 'logs' : source === 'history' ? 'migration history' : source;

/**
 * Evaluates one automatic item; null when its source has not answered yet (the item stays pending).
 * The result says when the data it read was fetched and, when that source is failing, its error.
 */
export function evaluateRule(rule: LiveRule, facts: LiveFacts, settings: RuleSettings): RuleResult | null {
  const result = judgeLiveRule(rule, facts, settings);
  if (!result) return null;
  const name = ruleSources[rule.type];
  const source =
    name === null
      ? null
      : (facts.sources?.[name] ?? (name === 'schema-errors' ? facts.sources?.logs : undefined) ?? null);
  if (name === null || !source) return { ...result, dataFetchedAt: facts.now, sourceError: null };
  // An endpoint without percentiles answers the counts: the p99 item is stale with why, never green.
  if (rule.type === 'p99-within-baseline' && facts.p99Unavailable && !source.error)
    return {
      ...result,
      dataFetchedAt: source.fetchedAt,
      sourceError: { source: 'metrics', code: 'PercentilesUnavailable', message: facts.p99Unavailable },
    };
  return {
    ...result,
    dataFetchedAt: source.fetchedAt,
    sourceError: source.error ? { source: sourceLabel(name), ...source.error } : null,
  };
}

function judgeLiveRule(rule: LiveRule, facts: LiveFacts, settings: RuleSettings): RuleResult | null {
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
      const tolerance = rule.tolerancePercent ?? settings.p99TolerancePercent;
      if (facts.p99Unavailable)
        return {
          question: `Is each function's p99 duration within ${tolerance} % of its own baseline?`,
          value: facts.p99Unavailable,
          passed: false,
        };
      const perFunction = judgeP99PerFunction(facts.p99ByFunction, settings.baselineP99ByFunction, tolerance);
      if (perFunction !== undefined) return perFunction;
      if (facts.p99Ms === null || settings.baselineP99Ms === null) return null;
      const limit = settings.baselineP99Ms * (1 + tolerance / 100);
      return {
        question: `Is p99 duration within ${tolerance} % of the baseline ${round(settings.baselineP99Ms)} ms?`,
        value: `p99 ${round(facts.p99Ms)} ms (limit ${round(limit)} ms)`,
        passed: facts.p99Ms <= limit,
      };
    }
    case 'no-schema-errors-since-migration': {
      const count = facts.schemaErrorsSinceMigration;
      if (count === null) return null;
      const from = facts.schemaErrorsCountedFrom ?? null;
      return {
        question: 'Are there no "does not exist" schema errors in the logs since the migration?',
        value: from
          ? `${count} schema error${count === 1 ? '' : 's'} since ${clockTime(from)}, ${facts.schemaErrorsCountedFromWhat ?? 'the migration'}`
          : `${count} schema errors`,
        passed: count === 0,
      };
    }
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

/**
 * Each function's window p99 against its own baseline p99 (a slow worker and a fast API are not
 * one number). Undefined when per-function figures are missing (deploys prepared before they were
 * kept: the pooled rule judges); null when no function has both a baseline and a window p99 yet.
 */
function judgeP99PerFunction(
  window: FunctionP99[] | null | undefined,
  baseline: FunctionP99[] | null | undefined,
  tolerance: number,
): RuleResult | null | undefined {
  if (!window || !baseline || baseline.length === 0) return undefined;
  const before = new Map(baseline.map((b) => [b.functionName, b]));
  let judged = 0;
  let over = 0;
  const lines = window.map((fn) => {
    const base = before.get(fn.functionName)?.p99Ms ?? null;
    if (base === null)
      return `${fn.label}: p99 ${fn.p99Ms === null ? 'n/a' : `${round(fn.p99Ms)} ms`}, no baseline`;
    if (fn.p99Ms === null) return `${fn.label}: no p99 in the window (baseline ${round(base)} ms)`;
    judged++;
    const limit = base * (1 + tolerance / 100);
    const ok = fn.p99Ms <= limit;
    if (!ok) over++;
    return `${fn.label}: p99 ${round(fn.p99Ms)} ms against ${round(base)} ms, ${ok ? 'within' : 'over the limit'} ${round(limit)} ms (${fn.invocations} invocations)`;
  });
  if (judged === 0) return null;
  return {
    question: `Is each function's p99 duration within ${tolerance} % of its own baseline?`,
    value: lines.join('; '),
    passed: over === 0,
  };
}

/** 06:31 UTC: the time of day a person reads in the evidence (the date is the deploy's). */
function clockTime(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function formatAge(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}
