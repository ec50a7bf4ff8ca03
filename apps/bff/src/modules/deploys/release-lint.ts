// The migration-lint rule's reading: Flightdeck's lint over the revisions a release applies
// (after its baseline revision, up to its target), read from the versions folder as Alembic would.
import {
  lintMigrations,
  readVersionsFolder,
  summarizeRevisionScript,
  type LintReading,
  type MigrationSummary,
} from '@flightdeck/core';
import { readVersionsFolderFiles } from '../../platform/upstreams/versions-folder.js';

/** The revisions `to` needs that `from` does not have, in upgrade order. */
function revisionsBetween(
  scripts: ReadonlyArray<{ revision: string; downRevisions: string[]; dependsOn: string[] }>,
  history: readonly string[],
  from: string | null,
  to: string,
): string[] {
  const byId = new Map(scripts.map((s) => [s.revision, s]));
  const ancestors = (start: string | null) => {
    const seen = new Set<string>();
    const stack = start ? [start] : [];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const script = byId.get(id);
      if (script) stack.push(...script.downRevisions, ...script.dependsOn);
    }
    return seen;
  };
  const applied = ancestors(from);
  const wanted = ancestors(to);
  return history.filter((id) => wanted.has(id) && !applied.has(id));
}

export async function lintRelease(
  versionsDir: string,
  from: string | null,
  to: string | null,
): Promise<LintReading> {
  const base = { from, to, revisions: [] as string[], findings: [] as LintReading['findings'] };
  if (!to) return { ...base, error: 'the release has no target revision' };
  const folder = await readVersionsFolderFiles(versionsDir);
  if (folder.problem) return { ...base, error: folder.problem };
  const graph = readVersionsFolder(folder.files);
  if (!graph.revisions.some((s) => s.revision === to))
    return { ...base, error: `the versions folder has no revision ${to}` };
  const revisions = revisionsBetween(graph.revisions, graph.history, from, to);
  const sources = new Map(folder.files.map((f) => [f.file, f.source]));
  const summaries: MigrationSummary[] = [];
  const findings: LintReading['findings'] = [];
  for (const revision of revisions) {
    const script = graph.revisions.find((s) => s.revision === revision)!;
    try {
      summaries.push(summarizeRevisionScript(script, sources.get(script.file) ?? ''));
    } catch (error) {
      findings.push({
        ruleId: 'script-not-analysed',
        severity: 'warning',
        revision,
        message: `${script.file} could not be analysed: ${(error as Error).message}`,
      });
    }
  }
  // Tables the release does not create are taken to exist already, holding rows.
  for (const f of lintMigrations(summaries, { existingTables: [] }))
    findings.push({
      ruleId: f.ruleId,
      severity: f.severity,
      revision: f.revision ?? 'unknown',
      ...(f.line !== undefined ? { line: f.line } : {}),
      message: f.message,
    });
  return { ...base, revisions, findings, error: null };
}
