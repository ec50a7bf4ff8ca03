import { describe, expect, it } from 'vitest';
import { headlineOf } from './log-errors-panel';

describe('headlineOf', () => {
  it('reads a traceback from its last exception line, not its trailing notes', () => {
    const traceback = [
      '[ERROR] 2026-02-03T06:20:00Z abc Exception on /api/v1/notifications/preferences [GET]',
      'Traceback (most recent call last):',
      '  File "/var/task/sqlalchemy/engine/base.py", line 1967, in _exec_single_context',
      'psycopg2.errors.UndefinedTable: relation "coordinator_notification_preferences" does not exist',
      'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "x" does not exist',
      '[SQL: SELECT 1]',
      '(Background on this error at: https://sqlalche.me/e/20/f405)',
    ].join('\n');
    expect(headlineOf(traceback)).toBe(
      'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "x" does not exist',
    );
  });
  it('keeps a one-line message as it is', () => {
    expect(headlineOf('[ERROR] timeout calling upstream')).toBe('[ERROR] timeout calling upstream');
  });
});
