import type { AlembicStatus } from '@flightdeck/contracts';
import { locateDatabase, readVersionsFolder } from '@flightdeck/core';
import type { Source } from '../../../platform/sources/collector.js';
import type { TargetDatabase } from '../../../platform/upstreams/target-database.js';
import { readVersionsFolderFiles } from '../../../platform/upstreams/versions-folder.js';

/** The database's alembic_version against the heads of the code's versions folder. */
export class AlembicSource implements Source<AlembicStatus> {
  constructor(
    private readonly database: TargetDatabase,
    private readonly versionsDir: string,
  ) {}

  async fetch(): Promise<AlembicStatus> {
    const [folder, rows] = await Promise.all([
      readVersionsFolderFiles(this.versionsDir),
      this.database.query('SELECT version_num FROM alembic_version'),
    ]);
    // Without the code's scripts there is no head to compare with: the panel says why.
    if (folder.problem) throw Object.assign(new Error(folder.problem), { name: 'VersionsFolderUnreadable' });
    const graph = readVersionsFolder(folder.files);
    const position = locateDatabase(
      graph,
      rows.map((r) => String(r.version_num)),
    );
    return {
      current: position.current,
      heads: graph.heads,
      pending: position.pending,
      unknown: position.unknown,
      upToDate: position.upToDate,
      via: this.database.via,
    };
  }
}
