import type { AlembicStatus, DeployMarker, LambdaAliases } from '@flightdeck/contracts';

export type ObservedMarker = Omit<DeployMarker, 'id' | 'source'>;

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);

/** A change of the database's Alembic revision between two polls. */
export function alembicChange(prev: AlembicStatus, next: AlembicStatus, at: Date): ObservedMarker | null {
  if (sameSet(prev.current, next.current)) return null;
  const from = prev.current.join(', ') || '(empty)';
  const to = next.current.join(', ') || '(empty)';
  const reverted = next.pending.length > prev.pending.length;
  return {
    at: at.toISOString(),
    kind: reverted ? 'migration-reverted' : 'migration-applied',
    title: `${reverted ? 'Migrations reverted' : 'Migrations applied'}: ${from} → ${to}`,
    functionName: null,
  };
}

const versionNumber = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);

/** Alias moves between two polls; a move back to the previous or a lower version is a rollback. */
export function aliasChanges(prev: LambdaAliases, next: LambdaAliases, at: Date): ObservedMarker[] {
  const markers: ObservedMarker[] = [];
  for (const fn of next.functions) {
    const before = prev.functions.find((p) => p.functionName === fn.functionName && p.alias === fn.alias);
    if (!before || before.aliasVersion === fn.aliasVersion) continue;
    const from = versionNumber(before.aliasVersion);
    const to = versionNumber(fn.aliasVersion);
    const rollback =
      fn.aliasVersion === before.previousPublishedVersion || (from !== null && to !== null && to < from);
    const show = (v: string | null) => (v === null ? '?' : v === '$LATEST' ? v : `v${v}`);
    markers.push({
      at: at.toISOString(),
      kind: rollback ? 'rollback' : 'alias-changed',
      title: `${fn.label} alias ${fn.alias}: ${show(before.aliasVersion)} → ${show(fn.aliasVersion)}${rollback ? ' (rollback)' : ''}`,
      functionName: fn.functionName,
    });
  }
  return markers;
}

/** An entry of an upstream deploy timeline (the sandbox keeps one). */
export interface TimelineEntry {
  at: string;
  kind: string;
  detail: string;
  subject?: string;
  value?: string;
}

/**
 * The deploy events of a timeline as chart markers: migrations (those applied together are one
 * marker), alias moves (a move to a lower version is a rollback), code deployed to $LATEST, and
 * restores. Backups and publishing a version change nothing running, so they are left out.
 */
export function markersFromTimeline(entries: TimelineEntry[]): DeployMarker[] {
  const aliasVersion = new Map<string, number>();
  const markers: DeployMarker[] = [];
  const sorted = [...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const entry of sorted) {
    // Stable across polls: the same event keeps its id as the timeline grows.
    const id = `timeline-${Date.parse(entry.at)}-${entry.kind}-${entry.subject ?? ''}`;
    const base = { id, at: new Date(entry.at).toISOString(), source: 'sandbox-timeline' as const };
    // Lambda names its alias subjects "function:alias".
    const functionName = entry.subject?.split(':')[0] ?? null;
    switch (entry.kind) {
      case 'migration-applied': {
        const previous = markers.at(-1);
        if (previous?.kind === 'migration-applied' && previous.at === base.at) {
          previous.title = `${previous.title}; ${entry.detail}`;
        } else {
          markers.push({ ...base, kind: 'migration-applied', title: entry.detail, functionName: null });
        }
        break;
      }
      case 'alias-changed': {
        const to = versionNumber(entry.value ?? null);
        const from = entry.subject ? aliasVersion.get(entry.subject) : undefined;
        if (entry.subject && to !== null) aliasVersion.set(entry.subject, to);
        const rollback = from !== undefined && to !== null && to < from;
        markers.push({
          ...base,
          kind: rollback ? 'rollback' : 'alias-changed',
          title: entry.detail,
          functionName,
        });
        break;
      }
      case 'function-deployed':
        // A published version reaches traffic through its alias move; code on $LATEST does at once.
        if (entry.value === undefined || entry.value === '$LATEST') {
          markers.push({ ...base, kind: 'other', title: entry.detail, functionName });
        }
        break;
      case 'restore-started':
        markers.push({ ...base, kind: 'snapshot-restore', title: entry.detail, functionName: null });
        break;
    }
  }
  return markers;
}
