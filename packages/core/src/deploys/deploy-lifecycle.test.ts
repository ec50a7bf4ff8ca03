import type { ChecklistItem } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { checklistItem } from './checklist-state.js';
import {
  allowedTransitions,
  applyTransition,
  gateVerdicts,
  itemJudgement,
  observedTransition,
  type ObservedState,
} from './deploy-lifecycle.js';

const now = '2026-02-03T07:00:00Z';
const item = (phase: ChecklistItem['phase'], passed: boolean | null, judgement: ChecklistItem['judgement']) =>
  checklistItem(
    { id: `${phase}-${String(passed)}`, phase, title: `${phase} item`, rule: { type: 'no-schema-drift' } },
    passed === null ? null : { question: 'q', value: passed ? 'ok' : 'bad', passed, evaluatedAt: now },
    [],
    now,
    judgement,
  );

describe('transitions', () => {
  const ready = { phase: 'ready' as const, hasMigrations: true, released: false };

  it('says the phase and what is allowed when a transition does not apply', () => {
    expect(applyTransition('migration-started', ready)).toEqual({ to: 'migrating' });
    expect(applyTransition('finish', ready)).toEqual({
      refused:
        'finish it does not apply to a deploy in phase ready; allowed from ready: migration-started, migration-finished, cancel',
    });
    expect(applyTransition('cancel', { ...ready, phase: 'done' })).toMatchObject({
      refused: expect.stringContaining('nothing (the deploy has ended)'),
    });
  });

  it('lets a release without migrations go out from ready, and not one with them', () => {
    expect(applyTransition('released', { ...ready, hasMigrations: false })).toEqual({ to: 'verifying' });
    expect(applyTransition('released', ready)).toMatchObject({
      refused: expect.stringContaining('applies migrations'),
    });
    expect(allowedTransitions({ ...ready, hasMigrations: false })).toEqual(['released', 'cancel']);
  });

  it('finishes from the watch and cancels only before the migration', () => {
    expect(allowedTransitions({ phase: 'monitoring', hasMigrations: true, released: false })).toEqual([
      'released',
      'finish',
    ]);
    expect(allowedTransitions({ phase: 'migrating', hasMigrations: true, released: false })).toEqual([
      'migration-finished',
    ]);
  });
});

describe('what the live data moves', () => {
  const base: ObservedState = {
    phase: 'preparing',
    hasMigrations: true,
    snapshotAvailable: false,
    baselineRevision: 'a',
    targetRevision: 'c',
    currentRevisions: ['a'],
    aliasesMoved: [],
  };
  it('goes ready with the snapshot, migrating when the revision moves, verifying at the target', () => {
    expect(observedTransition(base)).toBeNull();
    expect(observedTransition({ ...base, snapshotAvailable: true })?.to).toBe('ready');
    expect(observedTransition({ ...base, phase: 'ready', currentRevisions: ['b'] })?.to).toBe('migrating');
    expect(observedTransition({ ...base, phase: 'migrating', currentRevisions: ['b'] })).toBeNull();
    expect(observedTransition({ ...base, phase: 'ready', currentRevisions: ['c'] })).toMatchObject({
      to: 'verifying',
      message: "Alembic revision moved a → c: the release's target",
    });
  });
  it('sees a release without migrations go out when an alias moves', () => {
    const noMigrations = { ...base, phase: 'ready' as const, hasMigrations: false, targetRevision: 'a' };
    expect(observedTransition(noMigrations)).toBeNull();
    expect(observedTransition({ ...noMigrations, aliasesMoved: ['api:prod 7 → 8'] })).toMatchObject({
      to: 'verifying',
      kind: 'release-seen',
    });
  });
  it('never moves an ended deploy', () => {
    expect(observedTransition({ ...base, phase: 'cancelled', snapshotAvailable: true })).toBeNull();
  });
});

describe('item judgement and gates', () => {
  it('judges each phase’s items in its own deploy phases, final after', () => {
    expect(itemJudgement('pre-deploy', 'ready')).toBe('open');
    expect(itemJudgement('pre-deploy', 'monitoring')).toBe('final');
    expect(itemJudgement('post-deploy', 'ready')).toBe('not-yet');
    expect(itemJudgement('post-deploy', 'verifying')).toBe('open');
    expect(itemJudgement('monitoring', 'cancelled', 'ready')).toBe('not-yet');
    expect(itemJudgement('during', 'rolled-back', 'verifying')).toBe('final');
  });

  it('is GO for the migration on the pre-deploy items alone, the post-deploy ones pending', () => {
    const items = [item('pre-deploy', true, 'open'), item('post-deploy', null, 'not-yet')];
    const { verdict, verdicts } = gateVerdicts(items, 'ready');
    expect(verdict).toMatchObject({ gate: 'migration', verdict: 'GO', reasons: [] });
    expect(verdicts.healthy.verdict).toBe('pending');
    expect(verdicts.close.verdict).toBe('pending');
  });

  it('asks "healthy?" after the migration and "go to close?" in the watch', () => {
    const items = [
      item('pre-deploy', true, 'final'),
      item('post-deploy', false, 'open'),
      item('monitoring', null, 'not-yet'),
    ];
    const verifying = gateVerdicts(items, 'verifying');
    expect(verifying.verdict).toMatchObject({
      gate: 'healthy',
      verdict: 'NO-GO',
      reasons: ['post-deploy item: bad'],
    });
    const watching = gateVerdicts([item('monitoring', true, 'open')], 'monitoring');
    expect(watching.verdict).toMatchObject({ gate: 'close', verdict: 'GO' });
  });
});
