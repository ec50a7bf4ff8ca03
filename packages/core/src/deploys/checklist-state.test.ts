import type { ChecklistEvidence, SignOff } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { checklistItem, deployVerdict } from './checklist-state.js';
import type { ChecklistTemplateItem } from './checklist-template.js';

const auto: ChecklistTemplateItem = {
  id: 'error-rate',
  phase: 'post-deploy',
  title: 'Error rates at zero',
  rule: 'error-rate-zero',
  freshnessSeconds: 300,
};
const manual: ChecklistTemplateItem = { id: 'workflows', phase: 'post-deploy', title: 'Workflows tested' };
const evidence = (passed: boolean, evaluatedAt: string): ChecklistEvidence => ({
  question: 'q',
  value: passed ? '0 errors' : '3 errors',
  passed,
  evaluatedAt,
});
const signOff: SignOff = {
  by: 'lead@x',
  at: '2026-02-03T07:00:00Z',
  comment: 'tested',
  revokedBy: null,
  revokedAt: null,
  revokeReason: null,
};

describe('checklist item state', () => {
  it('passes or fails on fresh evidence and gives its age', () => {
    const item = checklistItem(auto, evidence(true, '2026-02-03T07:00:00Z'), null, '2026-02-03T07:01:00Z');
    expect(item).toMatchObject({ state: 'pass', evidenceAgeSeconds: 60 });
    expect(
      checklistItem(auto, evidence(false, '2026-02-03T07:00:00Z'), null, '2026-02-03T07:01:00Z').state,
    ).toBe('fail');
  });

  it('shows passing evidence older than its window as stale, never green', () => {
    const item = checklistItem(auto, evidence(true, '2026-02-03T07:00:00Z'), null, '2026-02-03T07:05:01Z');
    expect(item.state).toBe('stale');
    expect(item.reason).toContain('older than its 5 min window');
  });

  it('keeps an automatic item pending until it is evaluated', () => {
    expect(checklistItem(auto, null, null, '2026-02-03T07:00:00Z').state).toBe('pending');
  });

  it('signs off a manual item until the sign-off is revoked', () => {
    expect(checklistItem(manual, null, signOff, '2026-02-03T07:00:00Z').state).toBe('signed-off');
    const revoked = {
      ...signOff,
      revokedBy: 'lead2@x',
      revokedAt: '2026-02-03T07:10:00Z',
      revokeReason: 'found a bug',
    };
    const item = checklistItem(manual, null, revoked, '2026-02-03T07:11:00Z');
    expect(item.state).toBe('pending');
    expect(item.reason).toContain('revoked by lead2@x: found a bug');
  });
});

describe('deploy verdict', () => {
  it('is GO only when every item passes or is signed off', () => {
    const now = '2026-02-03T07:01:00Z';
    const pass = checklistItem(auto, evidence(true, '2026-02-03T07:00:00Z'), null, now);
    const signed = checklistItem(manual, null, signOff, now);
    expect(deployVerdict([pass, signed])).toEqual({ verdict: 'GO', reasons: [] });
  });

  it('is not held back by monitoring items still waiting, only by failing ones', () => {
    const now = '2026-02-03T07:01:00Z';
    const watch: ChecklistTemplateItem = { ...auto, id: 'watch-24h', phase: 'monitoring' };
    expect(deployVerdict([checklistItem(watch, null, null, now)]).verdict).toBe('GO');
    expect(deployVerdict([checklistItem(watch, evidence(false, now), null, now)]).verdict).toBe('NO-GO');
  });

  it('is NO-GO with one reason per item that holds it back', () => {
    const now = '2026-02-03T07:01:00Z';
    const failing = checklistItem(auto, evidence(false, '2026-02-03T07:00:00Z'), null, now);
    const pending = checklistItem(manual, null, null, now);
    const verdict = deployVerdict([failing, pending]);
    expect(verdict.verdict).toBe('NO-GO');
    expect(verdict.reasons).toEqual([
      'Error rates at zero: 3 errors',
      'Workflows tested: waiting for a lead’s sign-off',
    ]);
  });
});
