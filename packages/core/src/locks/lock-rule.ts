// The checklist rule `no-lock-blockers`: before the migration, would it wait? Judged on the lock
// view the BFF polls (pg_stat_activity + pg_locks), never on a query of its own.
import type { LockView } from '@flightdeck/contracts';
import type { ChecklistRule } from '../deploys/checklist-template.js';
import type { RuleResult } from '../deploys/readiness-rules.js';
import { blockerReasons } from './lock-view.js';

type RuleOf<T extends ChecklistRule['type']> = Extract<ChecklistRule, { type: T }>;

export interface LockReading {
  /** The latest view; null before the first poll answered. */
  view: LockView | null;
  /** The latest poll's error, when it failed (the view is then the last good one). */
  error: string | null;
  /** deploys.lockBlockerSeconds: how long a blocker's transaction must be open to count. */
  blockerMinSeconds: number;
}

export function judgeLockBlockers(rule: RuleOf<'no-lock-blockers'>, reading: LockReading): RuleResult | null {
  const minSeconds = rule.minTransactionSeconds ?? reading.blockerMinSeconds;
  const view = reading.view;
  const tables = view?.tables.map((t) => t.table) ?? [];
  const question = `Does no other transaction hold a lock on the release’s tables${tables.length > 0 ? ` (${tables.join(', ')})` : ''} that its migration would wait for, open ${minSeconds} s or more (pg_stat_activity, pg_locks)?`;
  if (reading.error && !view)
    return { question, value: `locks could not be read: ${reading.error}`, passed: false };
  if (!view) return null;
  if (reading.error)
    return {
      question,
      value: `the latest lock poll failed (${reading.error}); last read at ${view.fetchedAt}`,
      passed: false,
    };
  if (view.tables.length === 0)
    return { question, value: 'the release changes no existing table', passed: true };
  const reasons = blockerReasons(view.blockers, minSeconds);
  const gap = view.privilegeGap ? `; ${view.privilegeGap}` : '';
  if (reasons.length > 0) return { question, value: `${reasons.join('; ')}${gap}`, passed: false };
  const brief = view.blockers.length;
  return {
    question,
    value: `no blocking transaction${brief > 0 ? ` (${brief} brief session${brief === 1 ? '' : 's'} under ${minSeconds} s)` : ''}${gap}`,
    passed: true,
  };
}
