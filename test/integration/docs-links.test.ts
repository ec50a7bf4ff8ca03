// The repository stands alone: every link in its Markdown (README, docs, package READMEs) resolves
// to a file in this clone, and none leads outside it or climbs out with ../.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Every Markdown file of the repository (not of its dependencies). */
function markdownFiles(dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory())
      return ['node_modules', '.git', 'dist', '.flightdeck'].includes(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}
const documents = markdownFiles();

describe.each(documents)('%s', (document) => {
  const text = readFileSync(join(root, document), 'utf8');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

  it('links only to files inside the repository, and each exists', () => {
    for (const link of links) {
      expect(link, `${document} links outside the repository`).not.toMatch(/^[a-z]+:/i);
      expect(link, `${document} climbs out of its folder`).not.toMatch(/^\.\.\//);
      const path = link.split('#')[0]!;
      if (!path) continue;
      const target = join(root, dirname(document), path);
      expect(relative(root, target).startsWith('..'), `${document} → ${link}`).toBe(false);
      expect(existsSync(target), `${document} → ${link}`).toBe(true);
    }
  });
});
