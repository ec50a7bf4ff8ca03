// Weighs findings by the live table they touch. The same rewrite is harmless on a table of
// 200 rows and an outage on 20 GB: with sizes from pg_class the finding says how long its lock
// is held, estimated from a rewrite rate, and its severity follows.
import type { FindingSeverity, LockWork, MigrationFinding, TableSizeEstimate } from './finding.js';
import type { LockLevel } from './locks.js';

export interface TableSize {
  /** pg_class.reltuples; null when never analysed (-1). */
  rows: number | null;
  /** pg_total_relation_size. */
  bytes: number;
}

export interface TableSizeSettings {
  /** How fast PostgreSQL rewrites or reads a table on this server, in MB per second. */
  rewriteMBPerSecond: number;
  /** A table with at least this many rows is large: long work under its lock is an error. */
  largeTableRows: number;
  /** Or at least this many bytes (table, indexes and TOAST). */
  largeTableBytes: number;
}

export const defaultTableSizeSettings: TableSizeSettings = {
  rewriteMBPerSecond: 100,
  largeTableRows: 1_000_000,
  largeTableBytes: 1024 ** 3,
};

/** Work under a lock estimated to finish within this is not worth more than an info. */
const briefSeconds = 1;

const mebibyte = 1024 * 1024;

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${bytes} bytes`
    : `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatRows(rows: number): string {
  if (rows >= 1_000_000) return `${(rows / 1_000_000).toFixed(rows >= 10_000_000 ? 0 : 1)} million rows`;
  const rounded = rows >= 1000 ? Math.round(rows / 100) * 100 : Math.round(rows);
  return `${rounded.toLocaleString('en-US')} row${rounded === 1 ? '' : 's'}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

function waiting(lock: LockLevel | undefined, table: string): string {
  switch (lock) {
    case 'AccessExclusiveLock':
      return `every query on ${table} waiting`;
    case 'ExclusiveLock':
    case 'ShareRowExclusiveLock':
    case 'ShareLock':
      return `every write to ${table} waiting`;
    default:
      return `its rows locked`;
  }
}

const workWords: Record<LockWork, string> = {
  rewrite: 'rewriting it',
  scan: 'reading it',
  'index-build': 'building the index',
  'row-update': 'updating every row',
};

function severityFor(size: TableSize, seconds: number, settings: TableSizeSettings): FindingSeverity {
  const large = (size.rows ?? 0) >= settings.largeTableRows || size.bytes >= settings.largeTableBytes;
  if (large) return 'error';
  return seconds < briefSeconds ? 'info' : 'warning';
}

/**
 * Adds each finding's table size and, for work done under a lock (a rewrite, a scan, an index
 * build), its estimated duration and a severity from it: an error on a large table, an info when
 * it is over within a second. Findings on tables the database does not have are left as they are.
 */
export function weighFindings(
  findings: readonly MigrationFinding[],
  sizes: ReadonlyMap<string, TableSize>,
  settings: TableSizeSettings = defaultTableSizeSettings,
): MigrationFinding[] {
  return findings.map((finding) => {
    const size = finding.table ? sizes.get(finding.table) : undefined;
    if (!finding.table || !size) return finding;
    const sizeText = `${finding.table}: ${size.rows === null ? 'rows never counted (no ANALYZE yet)' : formatRows(size.rows)}, ${formatBytes(size.bytes)}`;
    if (!finding.lockWork) {
      const tableSize: TableSizeEstimate = { ...size, lockSeconds: null };
      return { ...finding, tableSize, message: `${finding.message} (${sizeText}.)` };
    }
    const seconds = size.bytes / (settings.rewriteMBPerSecond * mebibyte);
    const tableSize: TableSizeEstimate = { ...size, lockSeconds: seconds };
    const severity = severityFor(size, seconds, settings);
    return {
      ...finding,
      severity,
      tableSize,
      message: `${finding.message} ${sizeText}: ${formatDuration(seconds)} ${workWords[finding.lockWork]}, with ${waiting(finding.lock, finding.table)}.`,
    };
  });
}
