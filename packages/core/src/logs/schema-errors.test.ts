import { describe, expect, it } from 'vitest';
import { classifyLogLine } from './log-line.js';
import { countSchemaErrors, matchSchemaError } from './schema-errors.js';

describe('matchSchemaError', () => {
  it.each([
    [
      'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "coordinator_notification_preferences" does not exist\nLINE 1: SELECT ...',
      { kind: 'relation', name: 'coordinator_notification_preferences' },
    ],
    [
      'psycopg2.errors.UndefinedColumn: column providers.fcvs_fid does not exist',
      { kind: 'column', name: 'providers.fcvs_fid' },
    ],
    [
      'psycopg.errors.UndefinedColumn: column "home_address" does not exist',
      { kind: 'column', name: 'home_address' },
    ],
    [
      'ERROR:  column "references" of relation "providers" does not exist',
      { kind: 'column', name: 'providers.references' },
    ],
    [
      'asyncpg.exceptions.UndefinedTableError: relation "public.payment_methods" does not exist',
      { kind: 'relation', name: 'public.payment_methods' },
    ],
    [
      '[ERROR] ProgrammingError: column p.portal_pin does not exist',
      { kind: 'column', name: 'p.portal_pin' },
    ],
    ['{"level":"error","sqlstate":"42P01","msg":"query failed"}', { kind: 'relation', name: '(unnamed)' }],
    ['pgcode=42703 while loading licenses', { kind: 'column', name: '(unnamed)' }],
    ['column "we""ird" does not exist', { kind: 'column', name: 'we"ird' }],
  ])('recognises %s', (message, expected) => {
    expect(matchSchemaError(message)).toEqual(expected);
  });

  it.each([
    'role "flightdeck_ro" does not exist',
    'database "credmate" does not exist',
    'FileNotFoundError: [Errno 2] No such file or directory',
    'function lower(integer) does not exist',
    'INFO GET /api/v1/notifications/preferences 200 4ms',
    'column widths adjusted',
  ])('ignores %s', (message) => {
    expect(matchSchemaError(message)).toBeNull();
  });
});

describe('countSchemaErrors', () => {
  it('counts per function, lists every function and the most frequent missing objects first', () => {
    const counts = countSchemaErrors(
      ['api', 'worker'],
      [
        {
          functionName: 'api',
          timestamp: '2026-02-03T06:50:00.000Z',
          message: 'relation "payment_methods" does not exist',
        },
        {
          functionName: 'api',
          timestamp: '2026-02-03T06:55:00.000Z',
          message: 'column providers.fcvs_fid does not exist',
        },
        {
          functionName: 'api',
          timestamp: '2026-02-03T06:52:00.000Z',
          message: 'column providers.fcvs_fid does not exist',
        },
        {
          functionName: 'api',
          timestamp: '2026-02-03T06:59:00.000Z',
          message: 'Task timed out after 30.00 seconds',
        },
        {
          functionName: 'other',
          timestamp: '2026-02-03T06:59:00.000Z',
          message: 'relation "x" does not exist',
        },
      ],
    );
    expect(counts).toEqual([
      {
        functionName: 'api',
        count: 3,
        lastSeen: '2026-02-03T06:55:00.000Z',
        objects: [
          { kind: 'column', name: 'providers.fcvs_fid' },
          { kind: 'relation', name: 'payment_methods' },
        ],
      },
      { functionName: 'worker', count: 0, lastSeen: null, objects: [] },
    ]);
  });
});

describe('classifyLogLine', () => {
  it.each([
    ['[ERROR]\t2026-02-03T06:59:00Z\tabc\tUnhandled', 'error'],
    ['Traceback (most recent call last):', 'error'],
    ["KeyError: 'user_id'", 'error'],
    ['2026-02-03T06:59:00.000Z abc Task timed out after 30.00 seconds', 'error'],
    ['relation "payment_methods" does not exist', 'error'],
    ['[WARNING] slow query 812 ms', 'warning'],
    ['REPORT RequestId: abc Duration: 3.81 ms Billed Duration: 4 ms', 'info'],
    ['GET /api/health 200 3ms errors=0', 'info'],
  ])('%s → %s', (message, severity) => {
    expect(classifyLogLine(message).severity).toBe(severity);
  });
});
