import { createHash } from 'node:crypto';
import type { MigrationHistoryData, SourceError } from '@flightdeck/contracts';
import type { TableSizeSettings, VersionFile } from '@flightdeck/core';
import { describeError, type Source } from '../../platform/sources/collector.js';
import {
  analyzeFolder,
  analyzeMigrations,
  type DatabaseReading,
  type FolderAnalysis,
} from './migration-analysis.js';
import type { TargetDatabase } from '../../platform/upstreams/target-database.js';
import { readDatabaseSchema, readVersionRows } from './schema-reader.js';
import { readTableSizes } from './table-sizes.js';
import { readVersionsFolderFiles } from '../../platform/upstreams/versions-folder.js';

/**
 * The Migration History: the code's versions folder against the target database. The folder
 * part never waits on the database; when the database fails, the last good reading stays
 * (with its time) beside the error, and the history and summaries are still current.
 */
export class MigrationsSource implements Source<MigrationHistoryData> {
  private lastReading: { reading: DatabaseReading; at: string } | null = null;
  private folderCache: { key: string; analysis: FolderAnalysis } | null = null;

  constructor(
    private readonly database: TargetDatabase,
    private readonly versionsDir: string,
    private readonly now: () => Date = () => new Date(),
    private readonly lintSettings?: TableSizeSettings,
  ) {}

  async fetch(): Promise<MigrationHistoryData> {
    const [folder, databaseError] = await Promise.all([
      readVersionsFolderFiles(this.versionsDir),
      this.readDatabase(),
    ]);
    const analysis = analyzeMigrations(
      this.analyzeFolderCached(folder.files),
      this.lastReading?.reading ?? null,
      this.lintSettings ? { sizeSettings: this.lintSettings } : {},
    );
    return {
      versionsDir: this.versionsDir,
      folderProblem: folder.problem,
      ...analysis,
      database: {
        via: this.database.via,
        readAt: this.lastReading?.at ?? null,
        error: databaseError,
      },
    };
  }

  private async readDatabase(): Promise<SourceError | null> {
    try {
      const [versionRows, schema, tableSizes] = await Promise.all([
        readVersionRows(this.database),
        readDatabaseSchema(this.database),
        // Sizes only weigh findings: without them the page still has everything else
        readTableSizes(this.database).catch(() => undefined),
      ]);
      this.lastReading = {
        reading: { versionRows, schema, ...(tableSizes ? { tableSizes } : {}) },
        at: this.now().toISOString(),
      };
      return null;
    } catch (error) {
      return describeError(error, this.now());
    }
  }

  /** Parsing every script each poll is the expensive part; it only changes when a file does. */
  private analyzeFolderCached(files: VersionFile[]): FolderAnalysis {
    const key = createHash('sha256')
      .update(JSON.stringify(files.map((f) => [f.file, f.source, f.readError ?? null])))
      .digest('hex');
    if (this.folderCache?.key !== key) this.folderCache = { key, analysis: analyzeFolder(files) };
    return this.folderCache.analysis;
  }
}
