// Where the database stands relative to the code: alembic_version holds one row per
// applied head; everything those heads build on (and depend on) is applied, the rest
// of the history is pending, in upgrade order.
import type { MigrationFinding } from '../migrations/finding.js';
import type { RevisionGraph } from './revision-graph.js';

export interface DatabasePosition {
  /** The alembic_version rows, deduplicated, in the order given. */
  current: string[];
  /** Revisions the database has, in history order. */
  applied: string[];
  /** Revisions `alembic upgrade heads` would run, in that order. Empty when the database names an unknown revision. */
  pending: string[];
  /** alembic_version rows that no script declares. */
  unknown: string[];
  upToDate: boolean;
  findings: MigrationFinding[];
}

export function locateDatabase(graph: RevisionGraph, versionRows: readonly string[]): DatabasePosition {
  const findings: MigrationFinding[] = [];
  const current = [...new Set(versionRows.map((row) => row.trim()).filter((row) => row !== ''))];
  const parents = parentIndex(graph);
  const known = current.filter((id) => parents.has(id));
  const unknown = current.filter((id) => !parents.has(id));

  const applied = new Set<string>();
  const ancestorsOf = (start: string) => {
    const seen = new Set<string>();
    const queue = [...(parents.get(start) ?? [])];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(parents.get(id) ?? []));
    }
    return seen;
  };
  for (const id of known) {
    applied.add(id);
    for (const ancestor of ancestorsOf(id)) applied.add(ancestor);
  }

  for (const id of unknown) {
    findings.push({
      ruleId: 'database-revision-unknown',
      severity: 'error',
      revision: id,
      message: `The database is at revision ${id}, which no script in versions/ declares: the database is ahead of this code or has diverged from it.`,
      explanation: `A newer release (or a branch that was never merged) migrated this database. Alembic stops with "Can't locate revision identified by '${id}'", and deploying this code would run it against a schema it does not know.`,
      safeAlternative: `Deploy the code that contains ${id}, or find who applied it; never \`alembic stamp\` over it without checking the schema.`,
    });
  }
  for (const id of known) {
    const other = known.find((candidate) => candidate !== id && ancestorsOf(candidate).has(id));
    if (other) {
      findings.push({
        ruleId: 'redundant-version-row',
        severity: 'warning',
        revision: id,
        message: `alembic_version lists ${id} and also ${other}, which already includes it; Alembic expects one row per head.`,
        explanation:
          'Usually the result of a manual INSERT or an interrupted stamp. Alembic may try to re-run the migrations between the two.',
      });
    }
  }
  if (current.length === 0 && graph.history.length > 0) {
    findings.push({
      ruleId: 'database-not-stamped',
      severity: 'info',
      message: 'alembic_version has no rows: Alembic considers nothing applied and would run every revision.',
      explanation:
        'Right for an empty database. If the database already has tables (created by hand or restored), `alembic upgrade` will fail on the first CREATE TABLE; compare the schema first and `alembic stamp` the matching revision.',
    });
  }

  const pending = unknown.length > 0 ? [] : graph.history.filter((id) => !applied.has(id));
  return {
    current,
    applied: graph.history.filter((id) => applied.has(id)),
    pending,
    unknown,
    upToDate: unknown.length === 0 && pending.length === 0,
    findings,
  };
}

function parentIndex(graph: RevisionGraph): Map<string, string[]> {
  const labels = new Map<string, string>();
  for (const script of graph.revisions)
    for (const label of script.branchLabels) labels.set(label, script.revision);
  const ids = new Set(graph.revisions.map((script) => script.revision));
  return new Map(
    graph.revisions.map((script) => [
      script.revision,
      [
        ...script.downRevisions,
        ...script.dependsOn.map((dependency) => (ids.has(dependency) ? dependency : labels.get(dependency))),
      ].filter((id): id is string => id !== undefined && ids.has(id)),
    ]),
  );
}
