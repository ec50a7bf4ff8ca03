import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ScriptFile {
  file: string;
  source: string;
}

/** The migration scripts of an Alembic versions/ folder, as Alembic itself picks them (*.py, no dunder files). */
export async function readVersionsDir(dir: string): Promise<ScriptFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.py') && !n.startsWith('__')).sort();
  return Promise.all(names.map(async (file) => ({ file, source: await readFile(join(dir, file), 'utf8') })));
}
