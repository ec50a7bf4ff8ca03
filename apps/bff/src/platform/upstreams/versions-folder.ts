import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRevisionFile, type VersionFile } from '@flightdeck/core';

export interface VersionsFolder {
  files: VersionFile[];
  /** Why the folder itself could not be listed, in words; null when it could. */
  problem: string | null;
}

/**
 * The files of a versions/ folder as Alembic would load them. A file that cannot be read
 * is kept with its error (core turns it into a finding), so one bad file does not hide the rest.
 */
export async function readVersionsFolderFiles(dir: string): Promise<VersionsFolder> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => !entry.isDirectory() && isRevisionFile(entry.name))
      .map((entry) => entry.name);
  } catch (error) {
    return { files: [], problem: describeFolderProblem(dir, error) };
  }
  const files = await Promise.all(
    names.map(async (file): Promise<VersionFile> => {
      try {
        return { file, source: await readFile(join(dir, file), 'utf8') };
      } catch (error) {
        return { file, source: null, readError: (error as Error).message };
      }
    }),
  );
  return { files, problem: null };
}

function describeFolderProblem(dir: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return `The versions folder ${dir} does not exist.`;
  if (code === 'ENOTDIR') return `${dir} is a file, not a versions folder.`;
  if (code === 'EACCES') return `Flightdeck may not read the versions folder ${dir} (permission denied).`;
  return `The versions folder ${dir} could not be read: ${(error as Error).message}`;
}
