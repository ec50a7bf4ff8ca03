import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite runs initdb (seconds of CPU); loading a dump of an already-built
 * database takes a fraction of that. The dump is cached in the OS temp folder under a key
 * of the SQL that built it and the PGlite version, so tests and restarts skip the rebuild.
 */
export async function bootPglite(buildSql: string): Promise<PGlite> {
  const key = createHash('sha256').update(pgliteBuild).update(buildSql).digest('hex').slice(0, 16);
  const cacheFile = join(tmpdir(), `flightdeck-sandbox-${key}.tar`);
  const cached = await readFile(cacheFile).catch(() => undefined);
  if (cached) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([cached]) });
    } catch {
      // A damaged cache file: fall through and rebuild it.
    }
  }
  const db = await PGlite.create();
  await db.exec(buildSql);
  const dump = await db.dumpDataDir('none');
  const partial = `${cacheFile}.${process.pid}.${Date.now()}`;
  // Write then rename, so a concurrent reader never sees half a file.
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()))
    .then(() => rename(partial, cacheFile))
    .catch(() => undefined);
  return db;
}

// The resolved path names the installed version (pnpm store), so an upgrade invalidates the cache.
const pgliteBuild = createRequire(import.meta.url).resolve('@electric-sql/pglite');
