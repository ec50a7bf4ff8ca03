import type { ChecklistEvidence, ChecklistItem, DeployVerdict, SignOff } from '@flightdeck/contracts';
import type { ChecklistTemplateItem } from './checklist-template.js';
import { opensWhen } from './deploy-lifecycle.js';

/** Evidence counts this long when the template item names no window. */
export const defaultFreshnessSeconds = 300;

/**
 * One checklist item's state. Before its phase begins an item is `pending` (not a reason against
 * an earlier gate). While its phase is open, an automatic item passes or fails on its latest
 * evidence, and shows stale (never green) when the data behind it is older than its window or the
 * source it read is failing; once its
 * phase is over, the evidence it held then is final and never goes stale. A manual item is signed
 * off when enough distinct leads stand behind it.
 */
export function checklistItem(
  template: ChecklistTemplateItem,
  evidence: ChecklistEvidence | null,
  signOffs: SignOff[],
  now: string,
  judgement: ChecklistItem['judgement'] = 'open',
): ChecklistItem {
  const needed = template.rule ? 0 : (template.signOffs ?? 1);
  const standing = signOffs.filter((s) => !s.revokedAt);
  const latest = signOffs.at(-1) ?? null;
  const base = {
    id: template.id,
    phase: template.phase,
    title: template.title,
    description: template.description ?? null,
    judgement,
    signOffsNeeded: needed,
    signOffs: standing,
  };
  if (!template.rule) {
    const enough = standing.length >= needed;
    const reason =
      judgement === 'not-yet' && standing.length === 0
        ? `opens ${opensWhen[template.phase]}`
        : enough
          ? standing.map((s) => `signed off by ${s.by}: ${s.comment}`).join('; ')
          : standing.length > 0
            ? `${standing.length} of ${needed} sign-offs (${standing.map((s) => s.by).join(', ')}); waiting for another lead`
            : latest?.revokedAt
              ? `sign-off by ${latest.by} revoked by ${latest.revokedBy}: ${latest.revokeReason}`
              : needed > 1
                ? `waiting for ${needed} leads’ sign-offs`
                : 'waiting for a lead’s sign-off';
    return {
      ...base,
      kind: 'manual',
      state: enough ? 'signed-off' : 'pending',
      reason,
      evidence: null,
      evidenceAgeSeconds: null,
      signOff: latest,
    };
  }
  if (!evidence)
    return {
      ...base,
      kind: 'automatic',
      state: 'pending',
      reason:
        judgement === 'not-yet'
          ? `opens ${opensWhen[template.phase]}`
          : judgement === 'final'
            ? 'never judged: its phase ended before it was evaluated'
            : 'not evaluated yet',
      evidence: null,
      evidenceAgeSeconds: null,
      signOff: null,
    };
  // Freshness is the data's age, not the evaluation's: a fresh evaluation of old data is old news.
  const dataAt = evidence.dataFetchedAt ?? evidence.evaluatedAt;
  const age = Math.max(0, Math.round((Date.parse(now) - Date.parse(dataAt)) / 1000));
  const window = template.freshnessSeconds ?? defaultFreshnessSeconds;
  const failing = evidence.sourceError ?? null;
  const stale = judgement === 'open' && (age > window || failing !== null);
  return {
    ...base,
    kind: 'automatic',
    state: stale ? 'stale' : evidence.waiting ? 'pending' : evidence.passed ? 'pass' : 'fail',
    reason: stale
      ? failing
        ? `data from ${formatSeconds(age)} ago — ${failing.source} source failing: ${failing.code}: ${failing.message} (last: ${evidence.value})`
        : `data from ${formatSeconds(age)} ago, older than its ${formatSeconds(window)} window (last: ${evidence.value})`
      : judgement === 'final'
        ? `${evidence.value} (final, at the end of its phase)`
        : evidence.value,
    evidence,
    evidenceAgeSeconds: age,
    signOff: null,
  };
}

/** GO only when every item passes or is signed off; otherwise NO-GO with one reason per item. */
export function deployVerdict(items: ChecklistItem[]): Pick<DeployVerdict, 'verdict' | 'reasons'> {
  const reasons = items.flatMap((item) => {
    switch (item.state) {
      case 'pass':
      case 'signed-off':
        return [];
      case 'stale':
        return [`${item.title}: stale, ${item.reason}`];
      default:
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
