// Test support only: reads a fixture folder into the plain data core works on.
// (core itself never touches the file system; tests may.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { VersionFile } from '../alembic/revision-graph.js';

export function readFixtureFolder(folder: string): VersionFile[] {
  const files: VersionFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push({ file: relative(folder, path), source: readFileSync(path, 'utf8') });
    }
  };
  walk(folder);
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

export function readFixture(path: string): string {
  return readFileSync(path, 'utf8');
}
