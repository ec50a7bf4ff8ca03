// Builds an AnalyzedStatement: the lock estimate is derived from the changes here,
// once, so op-based and SQL-based statements cannot disagree about it.
import { locksForChanges, strongestLock } from './lock-estimate.js';
import type { AnalyzedStatement } from './schema-change.js';

export type StatementFacts = Omit<AnalyzedStatement, 'index' | 'locks' | 'strongestLock'>;

export function analyzedStatement(facts: StatementFacts, index = 0): AnalyzedStatement {
  const locks = locksForChanges(facts.changes);
  return { index, ...facts, locks, strongestLock: strongestLock(locks) };
}
