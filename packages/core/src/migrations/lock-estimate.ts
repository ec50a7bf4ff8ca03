// The table locks PostgreSQL takes for each kind of change ("Explicit Locking" and the
// ALTER TABLE reference). An estimate: it names the strongest lock a statement holds
// and on which table; the lock is then held until the transaction commits.
import { lockStrength, strongestPerTable, type TableLock } from './locks.js';
import type { ForeignKeyTarget, SchemaChange } from './schema-change.js';

function referenced(target: ForeignKeyTarget | null): TableLock[] {
  // A foreign key adds triggers on the referenced table too
  return target ? [{ table: target.table, mode: 'ShareRowExclusiveLock' }] : [];
}

export function locksForChange(change: SchemaChange): TableLock[] {
  switch (change.kind) {
    case 'createTable':
      return [
        { table: change.table, mode: 'AccessExclusiveLock' },
        ...change.columns.flatMap((column) => referenced(column.references)),
        ...change.constraints.flatMap((constraint) => referenced(constraint.references)),
      ];
    case 'addColumn':
      return [{ table: change.table, mode: 'AccessExclusiveLock' }, ...referenced(change.column.references)];
    case 'dropTable':
    case 'renameTable':
    case 'dropColumn':
    case 'alterColumn':
    case 'renameColumn':
    case 'dropConstraint':
      return [{ table: change.table, mode: 'AccessExclusiveLock' }];
    case 'createIndex':
      return [
        {
          table: change.index.table,
          mode: change.index.concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock',
        },
      ];
    case 'dropIndex':
      return change.table
        ? [
            {
              table: change.table,
              mode: change.concurrently ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock',
            },
          ]
        : [];
    case 'addConstraint': {
      const { constraint } = change;
      if (constraint.kind === 'foreignKey')
        return [
          { table: constraint.table, mode: 'ShareRowExclusiveLock' },
          ...referenced(constraint.references),
        ];
      return [{ table: constraint.table, mode: 'AccessExclusiveLock' }];
    }
    case 'validateConstraint':
      return [{ table: change.table, mode: 'ShareUpdateExclusiveLock' }];
    case 'dataChange':
      return [
        {
          table: change.table,
          mode: change.verb === 'truncate' ? 'AccessExclusiveLock' : 'RowExclusiveLock',
        },
      ];
    case 'other':
      return change.locks;
    case 'createEnum':
    case 'addEnumValue':
    case 'dropType':
    case 'setting':
      return [];
  }
}

/** Every table lock of a statement, one per table, strongest first. */
export function locksForChanges(changes: readonly SchemaChange[]): TableLock[] {
  return strongestPerTable(changes.flatMap(locksForChange));
}

export function strongestLock(locks: readonly TableLock[]): TableLock | null {
  let strongest: TableLock | null = null;
  for (const lock of locks)
    if (!strongest || lockStrength(lock.mode) > lockStrength(strongest.mode)) strongest = lock;
  return strongest;
}
