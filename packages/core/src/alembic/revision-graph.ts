// The revision graph Alembic builds from versions/: parents come from down_revision,
// extra ordering from depends_on. Everything that would make Alembic refuse to run
// (a missing parent, a cycle, a duplicate id, two heads) becomes a finding, never a throw.
import type { MigrationFinding } from '../migrations/finding.js';
import { compareText } from '../text-order.js';
import { parseRevisionScript, type RevisionScript } from './parse-revision-script.js';

export interface RevisionGraph {
  /** One script per revision id, in history order (cycle members last). */
  revisions: RevisionScript[];
  /** Revisions nothing builds on, in history order. */
  heads: string[];
  /** Revisions with down_revision None. */
  bases: string[];
  /** Revisions with two or more parents. */
  mergePoints: string[];
  /** Revisions two or more revisions build on. */
  branchPoints: string[];
  /** Upgrade order: parents before children (and dependencies before dependents), base first. */
  history: string[];
  findings: MigrationFinding[];
}

export interface VersionFile {
  /** Path relative to the versions/ folder. */
  file: string;
  /** null when the file could not be read. */
  source: string | null;
  readError?: string;
}

/** Which files Alembic loads from versions/: Python sources, not __init__.py or editor lock files. */
export function isRevisionFile(file: string): boolean {
  const name = file.split('/').pop() ?? file;
  return name.endsWith('.py') && !name.startsWith('__init__') && !name.startsWith('.#');
}

export function readVersionsFolder(files: readonly VersionFile[]): RevisionGraph {
  const scripts: RevisionScript[] = [];
  const findings: MigrationFinding[] = [];
  const revisionFiles = files
    .filter((f) => isRevisionFile(f.file))
    .sort((a, b) => compareText(a.file, b.file));
  for (const { file, source, readError } of revisionFiles) {
    if (source === null) {
      findings.push({
        ruleId: 'unreadable-script',
        severity: 'error',
        file,
        message: `${file} could not be read${readError ? `: ${readError}` : ''}.`,
        explanation:
          'Alembic loads every file in versions/; a file it cannot read stops every alembic command.',
      });
      continue;
    }
    const parsed = parseRevisionScript(file, source);
    findings.push(...parsed.findings);
    if (parsed.script) scripts.push(parsed.script);
  }
  return buildRevisionGraph(scripts, findings);
}

export function buildRevisionGraph(
  scripts: readonly RevisionScript[],
  extraFindings: readonly MigrationFinding[] = [],
): RevisionGraph {
  const findings: MigrationFinding[] = [...extraFindings];
  const byId = uniqueRevisions(scripts, findings);
  const labels = branchLabelIndex(byId, findings);

  // Edges to parents that exist; the others are findings.
  const parents = new Map<string, string[]>();
  const orderingParents = new Map<string, string[]>();
  for (const script of byId.values()) {
    const known = script.downRevisions.filter((parent) => {
      if (byId.has(parent)) return true;
      findings.push({
        ruleId: 'missing-down-revision',
        severity: 'error',
        file: script.file,
        revision: script.revision,
        message: `${script.revision} (${script.file}) builds on ${parent}, but no file in versions/ declares that revision.`,
        explanation:
          'Alembic cannot place this revision in the history: `alembic upgrade` fails with "Revision … referenced from … is not present". The parent file was probably deleted, renamed or not committed.',
        safeAlternative: `Restore the script for ${parent}, or point down_revision at the revision this one really follows.`,
      });
      return false;
    });
    const dependencies = script.dependsOn.flatMap((dependency) => {
      const target = byId.has(dependency) ? dependency : labels.get(dependency);
      if (target) return [target];
      findings.push({
        ruleId: 'missing-dependency',
        severity: 'error',
        file: script.file,
        revision: script.revision,
        message: `${script.revision} (${script.file}) depends on ${dependency}, which is neither a revision nor a branch label in versions/.`,
      });
      return [];
    });
    parents.set(script.revision, known);
    orderingParents.set(script.revision, [...new Set([...known, ...dependencies])]);
  }

  const children = new Map<string, string[]>();
  for (const [revision, ids] of parents)
    for (const parent of ids) children.set(parent, [...(children.get(parent) ?? []), revision]);

  const cycles = findCycles([...byId.keys()], orderingParents);
  const inCycle = new Set(cycles.flat());
  for (const cycle of cycles) {
    findings.push({
      ruleId: 'revision-cycle',
      severity: 'error',
      file: byId.get(cycle[0]!)?.file,
      revision: cycle[0],
      message: `Revisions ${cycle.join(' → ')} form a cycle (${cycle.map((id) => byId.get(id)?.file).join(', ')}); they have no place in the history.`,
      explanation:
        'Each revision must come after its down_revision (and its depends_on). A cycle means no order satisfies them, and Alembic stops with "Cycle is detected in revisions".',
      safeAlternative:
        'Point the down_revision of one of these scripts at the revision that really came before it.',
    });
  }

  const history = topologicalHistory(byId, orderingParents, inCycle);
  const position = new Map(history.map((id, index) => [id, index]));
  const inHistoryOrder = (ids: Iterable<string>) =>
    [...ids].sort(
      (a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || compareText(a, b),
    );

  const all = [...byId.keys()];
  const heads = inHistoryOrder(all.filter((id) => !(children.get(id)?.length ?? 0)));
  const graph: RevisionGraph = {
    revisions: inHistoryOrder(all).map((id) => byId.get(id)!),
    heads,
    bases: inHistoryOrder(all.filter((id) => byId.get(id)!.downRevisions.length === 0)),
    mergePoints: inHistoryOrder(all.filter((id) => byId.get(id)!.downRevisions.length > 1)),
    branchPoints: inHistoryOrder(all.filter((id) => (children.get(id)?.length ?? 0) > 1)),
    history,
    findings,
  };
  if (byId.size === 0 && extraFindings.length === 0) {
    findings.push({
      ruleId: 'no-revisions',
      severity: 'info',
      message: 'versions/ contains no revision scripts.',
    });
  }
  if (heads.length > 1) findings.push(multipleHeadsFinding(heads, byId, parents));
  return graph;
}

function uniqueRevisions(
  scripts: readonly RevisionScript[],
  findings: MigrationFinding[],
): Map<string, RevisionScript> {
  const byId = new Map<string, RevisionScript>();
  for (const script of [...scripts].sort((a, b) => compareText(a.file, b.file))) {
    const first = byId.get(script.revision);
    if (!first) {
      byId.set(script.revision, script);
      continue;
    }
    findings.push({
      ruleId: 'duplicate-revision',
      severity: 'error',
      file: script.file,
      revision: script.revision,
      message: `Revision ${script.revision} is declared by both ${first.file} and ${script.file}; ${script.file} is ignored.`,
      explanation:
        'Alembic keeps only one of the two (whichever it loads last) and warns; which migration runs then depends on file-system order. Usually a copied script whose revision id was not changed.',
      safeAlternative: `Give ${script.file} a new revision id (alembic revision generates one) and fix the down_revision that should point at it.`,
    });
  }
  return byId;
}

function branchLabelIndex(
  byId: Map<string, RevisionScript>,
  findings: MigrationFinding[],
): Map<string, string> {
  const labels = new Map<string, string>();
  for (const script of byId.values()) {
    for (const label of script.branchLabels) {
      const owner = labels.get(label);
      if (owner && owner !== script.revision) {
        findings.push({
          ruleId: 'duplicate-branch-label',
          severity: 'error',
          file: script.file,
          revision: script.revision,
          message: `Branch label "${label}" is used by both ${owner} and ${script.revision}.`,
          explanation:
            'Alembic refuses a branch label that is already used ("Branch name … already used by revision").',
        });
      } else labels.set(label, script.revision);
    }
  }
  return labels;
}

/** Strongly connected groups of two or more (or a revision that names itself), in a stable order. */
function findCycles(ids: string[], parents: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iteratively so that a long history cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of [...ids].sort()) {
    if (index.has(start)) continue;
    const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const edges = parents.get(frame.id) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = component.length === 1 && edges.includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  }
  return cycles.sort((a, b) => compareText(a[0]!, b[0]!));
}

/**
 * Kahn's algorithm with a stable choice among ready revisions: first a child of the
 * most recently placed revision (so a branch reads as one run, as Alembic orders
 * upgrades), then the oldest by Create Date, then by file name.
 */
function topologicalHistory(
  byId: Map<string, RevisionScript>,
  parents: Map<string, string[]>,
  excluded: Set<string>,
): string[] {
  const placed = new Map<string, number>();
  const pending = [...byId.keys()].filter((id) => !excluded.has(id));
  const history: string[] = [];
  const waitingOn = (id: string) => (parents.get(id) ?? []).filter((parent) => !excluded.has(parent));
  const ready = (id: string) => waitingOn(id).every((parent) => placed.has(parent));
  const recency = (id: string) => Math.max(-1, ...waitingOn(id).map((parent) => placed.get(parent) ?? -1));
  const age = (id: string) => {
    const script = byId.get(id)!;
    return `${script.createDate ?? ''}\u0000${script.file}\u0000${id}`;
  };
  while (pending.length) {
    const candidates = pending.filter(ready);
    if (candidates.length === 0) break; // only descendants of a cycle remain
    candidates.sort((a, b) => recency(b) - recency(a) || compareText(age(a), age(b)));
    const next = candidates[0]!;
    placed.set(next, history.length);
    history.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return history;
}

function multipleHeadsFinding(
  heads: string[],
  byId: Map<string, RevisionScript>,
  parents: Map<string, string[]>,
): MigrationFinding {
  // Heads on separately labelled branches are a deliberate layout (`alembic upgrade heads`);
  // unlabelled ones are two people's migrations that were never merged.
  const labelsOf = (head: string) => {
    const labels = new Set<string>();
    const seen = new Set<string>();
    const queue = [head];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      byId.get(id)?.branchLabels.forEach((label) => labels.add(label));
      queue.push(...(parents.get(id) ?? []));
    }
    return [...labels].sort().join(',');
  };
  const labelSets = heads.map(labelsOf);
  const deliberate = labelSets.every((set) => set !== '') && new Set(labelSets).size === heads.length;
  const files = heads.map((head) => byId.get(head)?.file).join(', ');
  if (deliberate) {
    return {
      ruleId: 'multiple-heads',
      severity: 'info',
      message: `${heads.length} heads on separately labelled branches (${heads.join(', ')}); upgrade with \`alembic upgrade heads\`.`,
    };
  }
  return {
    ruleId: 'multiple-heads',
    severity: 'error',
    file: byId.get(heads[heads.length - 1]!)?.file,
    message: `${heads.length} heads: ${heads.join(', ')} (${files}). \`alembic upgrade head\` refuses to run until they are merged.`,
    explanation:
      'Two revisions build on the same history without knowing about each other, usually from two branches merged in git. Alembic stops with "Multiple head revisions are present"; running `upgrade heads` instead applies both in an order nobody chose.',
    safeAlternative: `Run \`alembic merge -m "merge heads" ${heads.join(' ')}\`, review the merge revision, and deploy it with the code.`,
  };
}
