// PostgreSQL's table-level lock modes, weakest to strongest, and which statements
// what they block. Source: PostgreSQL docs, "Explicit Locking" (13.3.1).
import { compareText } from '../text-order.js';

export const lockLevels = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

export type LockLevel = (typeof lockLevels)[number];

export interface TableLock {
  table: string;
  mode: LockLevel;
}

export function lockStrength(mode: LockLevel): number {
  return lockLevels.indexOf(mode);
}

/** What a lock mode stops other sessions from doing while it is held. */
export function lockImpact(mode: LockLevel): string {
  switch (mode) {
    case 'AccessExclusiveLock':
      return 'blocks every read and write on the table';
    case 'ExclusiveLock':
      return 'blocks writes; only plain reads continue';
    case 'ShareRowExclusiveLock':
    case 'ShareLock':
      return 'blocks INSERT, UPDATE and DELETE; reads continue';
    case 'ShareUpdateExclusiveLock':
      return 'allows reads and writes; blocks other schema changes and VACUUM';
    case 'RowExclusiveLock':
    case 'RowShareLock':
    case 'AccessShareLock':
      return 'conflicts only with schema changes and explicit locks';
  }
}

/** The strongest lock per table, strongest first (ties by table name). */
export function strongestPerTable(locks: readonly TableLock[]): TableLock[] {
  const byTable = new Map<string, TableLock>();
  for (const lock of locks) {
    const held = byTable.get(lock.table);
    if (!held || lockStrength(lock.mode) > lockStrength(held.mode)) byTable.set(lock.table, lock);
  }
  return [...byTable.values()].sort(
    (a, b) => lockStrength(b.mode) - lockStrength(a.mode) || compareText(a.table, b.table),
  );
}
