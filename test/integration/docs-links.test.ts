// The repository stands alone: every link in the README and docs resolves to a file in this
// clone, and none leads outside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const documents = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

describe.each(documents)('%s', (document) => {
  const text = readFileSync(join(root, document), 'utf8');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

  it('links only to files inside the repository, and each exists', () => {
    for (const link of links) {
      expect(link, `${document} links outside the repository`).not.toMatch(/^[a-z]+:/i);
      const path = link.split('#')[0]!;
      if (path) expect(existsSync(join(root, dirname(document), path)), `${document} → ${link}`).toBe(true);
    }
  });
});
