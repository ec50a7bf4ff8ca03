import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { revisionChain, storyNames } from '../story.js';

/** The Alembic folder shipped in the package: versions/*.py and their SQL in sql/<revision>.sql. */
export const alembicDir = fileURLToPath(new URL('../../alembic/', import.meta.url));
export const versionsDir = fileURLToPath(new URL('../../alembic/versions', import.meta.url));
const sqlDir = new URL('../../alembic/sql/', import.meta.url);
const demoDataFile = new URL('./demo-data.sql', import.meta.url);

export type Revision = (typeof revisionChain)[number];

/** What `alembic upgrade --sql` prints for one revision (no BEGIN/COMMIT: the caller owns the transaction). */
export function revisionSql(revision: string): string {
  return readFileSync(new URL(`${revision}.sql`, sqlDir), 'utf8');
}

/** Revisions applied when the story starts, oldest first. */
export function revisionsAppliedAtStart(): string[] {
  return revisionChain.slice(0, revisionChain.indexOf(storyNames.currentRevision) + 1);
}

/** Revisions after `current` up to the head, in order; all of them if the database has none. */
export function revisionsAfter(current: string | undefined): string[] {
  if (current === undefined) return [...revisionChain];
  const index = revisionChain.indexOf(current as Revision);
  if (index < 0) throw new Error(`alembic_version holds ${current}, which is not in the sandbox's history`);
  return revisionChain.slice(index + 1);
}

/** SQL that builds the demo database as the story finds it: applied revisions, then the seed rows. */
export function storyStartSql(): string {
  return [...revisionsAppliedAtStart().map(revisionSql), readFileSync(demoDataFile, 'utf8')].join('\n');
}
