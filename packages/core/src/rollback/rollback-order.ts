// Which order is safe when rolling back a deploy: can the baseline code run on the
// schema the migrations since the baseline left behind? Additive, nullable changes
// leave the old code working, so the alias can go back alone; a drop, a rename or a
// new NOT NULL breaks it, so the database must go back first. Also says, per
// revision, what its downgrade() would do, and flags one that loses data or does nothing.
import type { MigrationSummary } from '../migrations/summarize.js';

export interface RevisionForRollback {
  revision: string;
  upgrade: MigrationSummary;
  /** The summary of downgrade(); `defined` is false when the script has none. */
  downgrade: { defined: boolean; summary: MigrationSummary };
}

export interface BreakingChange {
  revision: string;
  /** `drop`, `rename`, `not-null`, `type` */
  kind: 'drop' | 'rename' | 'not-null' | 'type';
  what: string;
  why: string;
}

export interface DowngradeReview {
  revision: string;
  /** What downgrade() does, one line per change. */
  effects: string[];
  /** Set when going back through this revision destroys data written since the deploy. */
  losesData: string[];
  /** True when downgrade() is missing or changes nothing while upgrade() changed the schema. */
  doesNothing: boolean;
}

export type RollbackStepKind = 'database' | 'lambda' | 'frontend';

export interface RollbackOrder {
  /** `alias-alone`: the old code runs on the new schema; `database-first`: it does not. */
  order: 'alias-alone' | 'database-first';
  steps: RollbackStepKind[];
  /** Why, in sentences a person reads. */
  reasons: string[];
  breakingChanges: BreakingChange[];
  downgrades: DowngradeReview[];
}

function breakingChangesOf(summary: MigrationSummary): BreakingChange[] {
  const revision = summary.revision;
  const found: BreakingChange[] = [];
  for (const table of summary.tablesDropped)
    found.push({
      revision,
      kind: 'drop',
      what: `table ${table} dropped`,
      why: `the baseline code still reads ${table}`,
    });
  for (const { table, column } of summary.columnsDropped)
    found.push({
      revision,
      kind: 'drop',
      what: `column ${table}.${column} dropped`,
      why: `the baseline code still selects ${table}.${column} ("column does not exist")`,
    });
  for (const { from, to } of summary.tablesRenamed)
    found.push({
      revision,
      kind: 'rename',
      what: `table ${from} renamed to ${to}`,
      why: `the baseline code still uses the name ${from}`,
    });
  for (const { table, from, to } of summary.columnsRenamed)
    found.push({
      revision,
      kind: 'rename',
      what: `column ${table}.${from} renamed to ${to}`,
      why: `the baseline code still uses ${table}.${from}`,
    });
  for (const { table, column } of summary.columnsAdded)
    if (!column.nullable && column.default === null)
      found.push({
        revision,
        kind: 'not-null',
        what: `column ${table}.${column.name} added NOT NULL without a default`,
        why: `the baseline code does not write ${column.name}, so its inserts into ${table} fail`,
      });
  for (const alteration of summary.columnsAltered) {
    if (alteration.nullable?.to === false)
      found.push({
        revision,
        kind: 'not-null',
        what: `column ${alteration.table}.${alteration.column} made NOT NULL`,
        why: `the baseline code may write NULL into ${alteration.table}.${alteration.column}`,
      });
    if (alteration.type)
      found.push({
        revision,
        kind: 'type',
        what: `column ${alteration.table}.${alteration.column} changed to ${alteration.type.to}`,
        why: `the baseline code was written for the old type of ${alteration.table}.${alteration.column}`,
      });
  }
  return found;
}

function schemaChangeCount(summary: MigrationSummary): number {
  return summary.statements.reduce(
    (n, statement) => n + statement.changes.filter((c) => c.kind !== 'setting').length,
    0,
  );
}

export function reviewDowngrade(entry: RevisionForRollback): DowngradeReview {
  const down = entry.downgrade.summary;
  const effects: string[] = [];
  const losesData: string[] = [];
  for (const table of down.tablesDropped) {
    effects.push(`drops table ${table}`);
    losesData.push(`drops table ${table} and every row written to it since the deploy`);
  }
  for (const { table, column } of down.columnsDropped) {
    effects.push(`drops column ${table}.${column}`);
    losesData.push(`drops column ${table}.${column} and the values written to it since the deploy`);
  }
  for (const { type } of down.statements.flatMap((s) =>
    s.changes.flatMap((c) => (c.kind === 'dropType' ? [c] : [])),
  ))
    effects.push(`drops type ${type}`);
  for (const { from, to } of down.tablesRenamed) effects.push(`renames table ${from} to ${to}`);
  for (const { table, from, to } of down.columnsRenamed)
    effects.push(`renames column ${table}.${from} to ${to}`);
  for (const { name } of down.tablesCreated) effects.push(`recreates table ${name} (empty)`);
  for (const { table, column } of down.columnsAdded) effects.push(`re-adds column ${table}.${column.name}`);
  for (const index of down.indexesDropped) effects.push(`drops index ${index.name}`);
  for (const index of down.indexesCreated)
    effects.push(`creates index ${index.name ?? index.columns.join(', ')}`);
  for (const constraint of down.constraintsDropped) effects.push(`drops constraint ${constraint.name}`);
  for (const alteration of down.columnsAltered)
    effects.push(`alters column ${alteration.table}.${alteration.column}`);
  for (const statement of down.statements)
    for (const change of statement.changes)
      if (change.kind === 'dataChange') {
        effects.push(`${change.verb} on ${change.table}`);
        if (change.verb === 'delete' || change.verb === 'truncate')
          losesData.push(`${change.verb}s rows of ${change.table}`);
      } else if (change.kind === 'other') effects.push(change.description);
  const upgradeChanges = schemaChangeCount(entry.upgrade);
  const doesNothing = upgradeChanges > 0 && (!entry.downgrade.defined || schemaChangeCount(down) === 0);
  if (!entry.downgrade.defined) effects.push('no downgrade() function: Alembic cannot go back past it');
  else if (schemaChangeCount(down) === 0) effects.push('downgrade() changes nothing');
  return { revision: entry.revision, effects, losesData, doesNothing };
}

/**
 * Plans the order of a rollback to the baseline from the revisions applied since
 * it, oldest first.
 */
export function planRollbackOrder(
  applied: RevisionForRollback[],
  options: { frontend?: boolean } = {},
): RollbackOrder {
  const breakingChanges = applied.flatMap((entry) => breakingChangesOf(entry.upgrade));
  const downgrades = applied.map(reviewDowngrade);
  const tail: RollbackStepKind[] = options.frontend ? ['frontend'] : [];
  const reasons: string[] = [];
  if (applied.length === 0) {
    reasons.push(
      'No migration was applied since the baseline: the schema is the one the baseline code ran on.',
    );
    return { order: 'alias-alone', steps: ['lambda', ...tail], reasons, breakingChanges, downgrades };
  }
  if (breakingChanges.length === 0) {
    reasons.push(
      `The ${applied.length} migration${applied.length === 1 ? '' : 's'} since the baseline only add (tables, nullable columns or columns with defaults, indexes): the baseline code still works on the current schema, so the alias can go back alone and the database stays.`,
    );
    return { order: 'alias-alone', steps: ['lambda', ...tail], reasons, breakingChanges, downgrades };
  }
  reasons.push(
    'The database must go back first, or the baseline code will fail: ' +
      breakingChanges.map((c) => `${c.what} in ${c.revision} (${c.why})`).join('; ') +
      '.',
  );
  const lossy = downgrades.filter((d) => d.losesData.length > 0);
  if (lossy.length > 0)
    reasons.push(
      `Restoring the pre-migration snapshot loses what was written since; downgrade() of ${lossy.map((d) => d.revision).join(', ')} would too.`,
    );
  const empty = downgrades.filter((d) => d.doesNothing);
  if (empty.length > 0)
    reasons.push(
      `downgrade() of ${empty.map((d) => d.revision).join(', ')} does nothing: only the snapshot restore takes the schema back.`,
    );
  return {
    order: 'database-first',
    steps: ['database', 'lambda', ...tail],
    reasons,
    breakingChanges,
    downgrades,
  };
}
