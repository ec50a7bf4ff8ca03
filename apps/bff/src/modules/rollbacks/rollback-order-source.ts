// Reads the migrations applied since the deploy's baseline (upgrade and downgrade) from the
// versions folder and asks core which rollback order is safe.
import {
  planRollbackOrder,
  readVersionsFolder,
  summarizeRevisionDowngrade,
  summarizeRevisionScript,
} from '@flightdeck/core';
import type { RollbackOrderView } from '@flightdeck/contracts';
import { readVersionsFolderFiles } from '../../platform/upstreams/versions-folder.js';

export async function rollbackOrderFor(
  versionsDir: string,
  baselineRevision: string | null,
  databaseRevision: string | null,
): Promise<RollbackOrderView> {
  const folder = await readVersionsFolderFiles(versionsDir);
  const graph = readVersionsFolder(folder.files);
  const history = graph.history;
  const from = baselineRevision === null ? 0 : history.indexOf(baselineRevision) + 1;
  const upTo = databaseRevision === null ? history.length - 1 : history.indexOf(databaseRevision);
  const notes: string[] = [];
  if (folder.problem) notes.push(folder.problem);
  if (baselineRevision !== null && from === 0)
    notes.push(
      `The baseline revision ${baselineRevision} is not in the versions folder; the order cannot be judged from it.`,
    );
  if (databaseRevision === null)
    notes.push('The database revision is not known yet: judged as if at the code head.');
  const applied = from > 0 || baselineRevision === null ? history.slice(from, upTo + 1) : [];
  const entries = applied.flatMap((revision) => {
    const script = graph.revisions.find((r) => r.revision === revision);
    const source = script && folder.files.find((f) => f.file === script.file)?.source;
    if (!script || !source) return [];
    return [
      {
        revision,
        upgrade: summarizeRevisionScript(script, source),
        downgrade: summarizeRevisionDowngrade(script, source),
      },
    ];
  });
  const plan = planRollbackOrder(entries);
  return {
    order: plan.order,
    steps: plan.steps.map((step) => (step === 'database' ? 'rds' : step)),
    reasons: [...plan.reasons, ...notes],
    downgrades: plan.downgrades,
  };
}
