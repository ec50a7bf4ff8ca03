import type { AlembicStatus, FunctionAlias, LambdaAliases } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { alembicChange, aliasChanges, markersFromTimeline } from './deploy-markers.js';

const at = new Date('2026-02-03T06:40:00Z');
const alembic = (current: string[], pending: string[]): AlembicStatus => ({
  current,
  heads: ['20260131_0000'],
  pending,
  unknown: [],
  upToDate: pending.length === 0,
  via: 'direct',
});
const alias = (aliasVersion: string, previousPublishedVersion: string | null): FunctionAlias => ({
  functionName: 'api-fn',
  label: 'Backend API',
  alias: 'prod',
  aliasVersion,
  latestPublishedVersion: '8',
  previousPublishedVersion,
  runtime: 'python3.12',
  lastModified: null,
  versions: [],
});
const aliases = (...functions: FunctionAlias[]): LambdaAliases => ({ functions });

describe('alembicChange', () => {
  it('records migrations applied when the revision moves toward the head', () => {
    expect(
      alembicChange(alembic(['20260115_0200'], ['a', 'b', 'c', 'd']), alembic(['20260131_0000'], []), at),
    ).toEqual({
      at: '2026-02-03T06:40:00.000Z',
      kind: 'migration-applied',
      title: 'Migrations applied: 20260115_0200 → 20260131_0000',
      functionName: null,
    });
  });

  it('records a revert when pending migrations grow again', () => {
    expect(alembicChange(alembic(['b'], []), alembic(['a'], ['b']), at)?.kind).toBe('migration-reverted');
  });

  it('records nothing while the revision stays', () => {
    expect(alembicChange(alembic(['a', 'b'], []), alembic(['b', 'a'], []), at)).toBeNull();
  });
});

describe('aliasChanges', () => {
  it('records an alias move forward', () => {
    expect(aliasChanges(aliases(alias('7', '6')), aliases(alias('8', '7')), at)).toEqual([
      {
        at: '2026-02-03T06:40:00.000Z',
        kind: 'alias-changed',
        title: 'Backend API alias prod: v7 → v8',
        functionName: 'api-fn',
      },
    ]);
  });

  it('calls a move back to the previous published version a rollback', () => {
    const [marker] = aliasChanges(aliases(alias('8', '7')), aliases(alias('7', '6')), at);
    expect(marker).toMatchObject({ kind: 'rollback', title: 'Backend API alias prod: v8 → v7 (rollback)' });
  });

  it('shows $LATEST as it is, and ignores functions that did not move', () => {
    const [marker] = aliasChanges(aliases(alias('$LATEST', null)), aliases(alias('8', '7')), at);
    expect(marker?.title).toBe('Backend API alias prod: $LATEST → v8');
    expect(aliasChanges(aliases(alias('8', '7')), aliases(alias('8', '7')), at)).toEqual([]);
  });
});

describe('markersFromTimeline', () => {
  it('turns deploy events into markers, calls a move to a lower version a rollback, skips backups', () => {
    const markers = markersFromTimeline([
      {
        at: '2026-02-03T06:45:00Z',
        kind: 'alias-changed',
        detail: 'api-fn:prod -> 15',
        subject: 'api-fn:prod',
        value: '15',
      },
      { at: '2026-02-03T06:29:34Z', kind: 'snapshot-created', detail: 'snapshot' },
      { at: '2026-02-03T06:40:00Z', kind: 'migration-applied', detail: 'Migration a applied', subject: 'a' },
      { at: '2026-02-03T06:40:00Z', kind: 'migration-applied', detail: 'Migration b applied', subject: 'b' },
      {
        at: '2026-02-03T06:30:00Z',
        kind: 'alias-changed',
        detail: 'api-fn:prod -> 16',
        subject: 'api-fn:prod',
        value: '16',
      },
      {
        at: '2026-02-03T06:30:00Z',
        kind: 'function-deployed',
        detail: 'version 16 published',
        subject: 'api-fn',
        value: '16',
      },
      {
        at: '2026-02-03T06:47:00Z',
        kind: 'function-deployed',
        detail: 'new code on $LATEST',
        subject: 'api-fn',
        value: '$LATEST',
      },
      { at: '2026-02-03T06:50:00Z', kind: 'restore-started', detail: 'restore', subject: 'prod-credmate-db' },
    ]);
    expect(markers.map((m) => [m.at, m.kind, m.functionName])).toEqual([
      ['2026-02-03T06:30:00.000Z', 'alias-changed', 'api-fn'],
      ['2026-02-03T06:40:00.000Z', 'migration-applied', null],
      ['2026-02-03T06:45:00.000Z', 'rollback', 'api-fn'],
      ['2026-02-03T06:47:00.000Z', 'other', 'api-fn'],
      ['2026-02-03T06:50:00.000Z', 'snapshot-restore', null],
    ]);
    expect(markers[1]!.title).toBe('Migration a applied; Migration b applied');
    expect(new Set(markers.map((m) => m.id)).size).toBe(markers.length);
    expect(markers.every((m) => m.source === 'sandbox-timeline')).toBe(true);
  });
});
