import type { ChecklistEvidence, ChecklistItem, DeployVerdict, SignOff } from '@flightdeck/contracts';
import type { ChecklistTemplateItem } from './checklist-template.js';

/** Evidence counts this long when the template item names no window. */
export const defaultFreshnessSeconds = 300;

/**
 * One checklist item's state: an automatic item passes or fails on its latest evidence, and shows
 * stale (never green) when that evidence is older than its window; a manual item is signed off
 * until its sign-off is revoked.
 */
export function checklistItem(
  template: ChecklistTemplateItem,
  evidence: ChecklistEvidence | null,
  signOff: SignOff | null,
  now: string,
): ChecklistItem {
  const base = { id: template.id, phase: template.phase, title: template.title };
  if (!template.rule) {
    const active = signOff && !signOff.revokedAt ? signOff : null;
    return {
      ...base,
      kind: 'manual',
      state: active ? 'signed-off' : 'pending',
      reason: active
        ? `signed off by ${active.by}: ${active.comment}`
        : signOff
          ? `sign-off by ${signOff.by} revoked by ${signOff.revokedBy}: ${signOff.revokeReason}`
          : 'waiting for a lead’s sign-off',
      evidence: null,
      evidenceAgeSeconds: null,
      signOff,
    };
  }
  if (!evidence)
    return {
      ...base,
      kind: 'automatic',
      state: 'pending',
      reason: 'not evaluated yet',
      evidence: null,
      evidenceAgeSeconds: null,
      signOff: null,
    };
  const age = Math.max(0, Math.round((Date.parse(now) - Date.parse(evidence.evaluatedAt)) / 1000));
  const window = template.freshnessSeconds ?? defaultFreshnessSeconds;
  const stale = age > window;
  return {
    ...base,
    kind: 'automatic',
    state: stale ? 'stale' : evidence.passed ? 'pass' : 'fail',
    reason: stale
      ? `evidence is ${formatSeconds(age)} old, older than its ${formatSeconds(window)} window (last: ${evidence.value})`
      : evidence.value,
    evidence,
    evidenceAgeSeconds: age,
    signOff: null,
  };
}

/**
 * GO only when every item passes or is signed off; otherwise NO-GO with one reason per item. The
 * monitoring phase runs for a day after the release: its items hold the verdict back only once they fail.
 */
export function deployVerdict(items: ChecklistItem[]): DeployVerdict {
  const reasons = items.flatMap((item) => {
    if (item.phase === 'monitoring' && item.state === 'pending') return [];
    switch (item.state) {
      case 'pass':
      case 'signed-off':
        return [];
      case 'fail':
        return [`${item.title}: ${item.reason}`];
      case 'stale':
        return [`${item.title}: stale, ${item.reason}`];
      case 'pending':
        return [`${item.title}: ${item.reason}`];
    }
  });
  return reasons.length === 0 ? { verdict: 'GO', reasons: [] } : { verdict: 'NO-GO', reasons };
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
