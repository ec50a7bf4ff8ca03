import type { ChecklistEvidence, SignOff } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { checklistItem } from './checklist-state.js';
import type { ChecklistTemplateItem } from './checklist-template.js';

const auto: ChecklistTemplateItem = {
  id: 'error-rate',
  phase: 'post-deploy',
  title: 'Error rates at zero',
  rule: { type: 'error-rate-zero' },
  freshnessSeconds: 300,
};
const manual: ChecklistTemplateItem = { id: 'workflows', phase: 'post-deploy', title: 'Workflows tested' };
const evidence = (passed: boolean, evaluatedAt: string): ChecklistEvidence => ({
  question: 'q',
  value: passed ? '0 errors' : '3 errors',
  passed,
  evaluatedAt,
});
const signOff = (by = 'lead@x'): SignOff => ({
  by,
  at: '2026-02-03T07:00:00Z',
  comment: 'tested',
  revokedBy: null,
  revokedAt: null,
  revokeReason: null,
});

describe('checklist item state', () => {
  it('passes or fails on fresh evidence and gives its age', () => {
    const item = checklistItem(auto, evidence(true, '2026-02-03T07:00:00Z'), [], '2026-02-03T07:01:00Z');
    expect(item).toMatchObject({ state: 'pass', evidenceAgeSeconds: 60 });
    expect(
      checklistItem(auto, evidence(false, '2026-02-03T07:00:00Z'), [], '2026-02-03T07:01:00Z').state,
    ).toBe('fail');
  });

  it('shows passing evidence older than its window as stale while its phase is open, never green', () => {
    const item = checklistItem(auto, evidence(true, '2026-02-03T07:00:00Z'), [], '2026-02-03T07:05:01Z');
    expect(item.state).toBe('stale');
    expect(item.reason).toContain('older than its 5 min window');
  });

  it('keeps the evidence an item held at the end of its phase: a day later it is still what it was', () => {
    const item = checklistItem(
      auto,
      evidence(true, '2026-02-03T07:00:00Z'),
      [],
      '2026-02-04T08:00:00Z',
      'final',
    );
    expect(item.state).toBe('pass');
    expect(item.reason).toContain('final');
  });

  it('is pending (not failed) while the evidence says it is under way, and before its phase opens', () => {
    const waiting = { ...evidence(false, '2026-02-03T07:00:00Z'), waiting: true };
    expect(checklistItem(auto, waiting, [], '2026-02-03T07:00:10Z').state).toBe('pending');
    const early = checklistItem(auto, null, [], '2026-02-03T07:00:00Z', 'not-yet');
    expect(early).toMatchObject({
      state: 'pending',
      reason: expect.stringContaining('opens once the database'),
    });
  });

  it('signs off a manual item until the sign-off is revoked', () => {
    expect(checklistItem(manual, null, [signOff()], '2026-02-03T07:00:00Z').state).toBe('signed-off');
    const revoked = {
      ...signOff(),
      revokedBy: 'lead2@x',
      revokedAt: '2026-02-03T07:10:00Z',
      revokeReason: 'found a bug',
    };
    const item = checklistItem(manual, null, [revoked], '2026-02-03T07:11:00Z');
    expect(item.state).toBe('pending');
    expect(item.reason).toContain('revoked by lead2@x: found a bug');
  });

  it('needs as many distinct leads as the item says', () => {
    const twoLeads = { ...manual, signOffs: 2 };
    const one = checklistItem(twoLeads, null, [signOff('a@x')], '2026-02-03T07:00:00Z');
    expect(one).toMatchObject({
      state: 'pending',
      signOffsNeeded: 2,
      reason: expect.stringContaining('1 of 2'),
    });
    const two = checklistItem(twoLeads, null, [signOff('a@x'), signOff('b@x')], '2026-02-03T07:00:00Z');
    expect(two.state).toBe('signed-off');
  });
});

describe('the age of the data behind an item', () => {
  const fetched = (passed: boolean, evaluatedAt: string, dataFetchedAt: string): ChecklistEvidence => ({
    ...evidence(passed, evaluatedAt),
    dataFetchedAt,
  });

  it('is judged on when the data was fetched: a fresh evaluation of data six minutes old is stale', () => {
    const item = checklistItem(
      auto,
      fetched(true, '2026-02-03T07:06:00Z', '2026-02-03T07:00:00Z'),
      [],
      '2026-02-03T07:06:00Z',
    );
    expect(item).toMatchObject({ state: 'stale', evidenceAgeSeconds: 360 });
    expect(item.reason).toBe('data from 6 min ago, older than its 5 min window (last: 0 errors)');
  });

  it('passes while the data is within its window', () => {
    const item = checklistItem(
      auto,
      fetched(true, '2026-02-03T07:04:00Z', '2026-02-03T07:00:00Z'),
      [],
      '2026-02-03T07:04:00Z',
    );
    expect(item).toMatchObject({ state: 'pass', evidenceAgeSeconds: 240 });
  });

  it('is stale, never green, while the source it read is failing, with the source’s error', () => {
    const failing: ChecklistEvidence = {
      ...fetched(true, '2026-02-03T07:00:40Z', '2026-02-03T07:00:00Z'),
      sourceError: {
        source: 'metrics',
        code: 'InternalFailure',
        message: 'We encountered an internal error',
      },
    };
    const item = checklistItem(auto, failing, [], '2026-02-03T07:00:40Z');
    expect(item.state).toBe('stale');
    expect(item.reason).toBe(
      'data from 40 s ago — metrics source failing: InternalFailure: We encountered an internal error (last: 0 errors)',
    );
    // Once its phase is over the evidence is final, as it was.
    expect(checklistItem(auto, failing, [], '2026-02-03T08:00:00Z', 'final').state).toBe('pass');
  });
});
