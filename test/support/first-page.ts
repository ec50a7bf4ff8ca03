import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const webDist = fileURLToPath(new URL('../../apps/web/dist/', import.meta.url));

/** What the first page may load, gzipped, before it shows the Overview (charts stream in after). */
export const firstPageBudgetBytes = 150 * 1024;

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * The JavaScript `/` needs to show the Overview, read from the built SPA's Vite manifest: the entry
 * and its static imports, plus the Overview page's chunk and its static imports. Other pages and
 * the charts are dynamic imports and load later.
 */
export function firstPageScripts(): { file: string; gzipBytes: number }[] {
  const manifestPath = `${webDist}.vite/manifest.json`;
  if (!existsSync(manifestPath)) throw new Error(`No built SPA at ${webDist}: run \`pnpm build\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`The manifest has no ${key}`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit('index.html');
  visit('src/pages/overview/overview-page.tsx');
  return [...files].map((file) => ({
    file,
    gzipBytes: gzipSync(readFileSync(`${webDist}${file}`), { level: 9 }).length,
  }));
}
