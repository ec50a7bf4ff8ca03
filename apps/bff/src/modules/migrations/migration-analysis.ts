// Puts core's pieces together the same way for the Migration History page and the CLI:
// graph → summaries → (with a database reading) position, lint of the pending run, drift.
// Pure: the callers read the folder and the database.
import {
  buildMigrationReport,
  compareSchema,
  expectedSchema,
  lintMigration,
  lintMigrations,
  locateDatabase,
  readVersionsFolder,
  summarizeRevisionScript,
  weighFindings,
  type MigrationFinding,
  type MigrationReport,
  type MigrationSummary,
  type RevisionGraph,
  type TableSize,
  type TableSizeSettings,
  type VersionFile,
} from '@flightdeck/core';
import type { DatabaseSchema } from './schema-reader.js';

export interface DatabaseReading {
  versionRows: string[];
  schema: DatabaseSchema;
  /** From pg_class; absent when they could not be read (findings are then not weighed). */
  tableSizes?: ReadonlyMap<string, TableSize>;
}

export interface LintOptions {
  /** Thresholds and rate for weighing findings by table size (config `lint`). */
  sizeSettings?: TableSizeSettings;
  /** Without a database: lint the revisions after this one as one release (`--from`). */
  from?: string;
}

/** The folder's half of the analysis: it only changes when a file does, so callers may keep it. */
export interface FolderAnalysis {
  graph: RevisionGraph;
  /** One per revision the graph knows, in history order (revisions in a cycle last). */
  summaries: MigrationSummary[];
  /** Scripts the analyzer could not summarise. */
  findings: MigrationFinding[];
}

export interface MigrationAnalysis {
  report: MigrationReport;
  /** Every revision's summary in report form, history order. */
  revisionSummaries: MigrationReport['migrations'];
  /** The columns of every table a revision creates, history order. */
  createdTables: { revision: string; table: string; columns: string[] }[];
  /** `type.value` the migrations add that the database lacks; null without a reading. */
  missingEnumValues: string[] | null;
  /** The applied revisions' findings, linted as the run from the root that applied them. */
  appliedFindings?: MigrationFinding[];
}

export function analyzeFolder(files: readonly VersionFile[]): FolderAnalysis {
  const graph = readVersionsFolder(files);
  const sources = new Map(files.map((f) => [f.file, f.source]));
  const summaries: MigrationSummary[] = [];
  const findings: MigrationFinding[] = [];
  for (const script of graph.revisions) {
    try {
      summaries.push(summarizeRevisionScript(script, sources.get(script.file) ?? ''));
    } catch (error) {
      // One script the analyzer trips on must not hide the rest of the history.
      findings.push({
        ruleId: 'script-not-analysed',
        severity: 'warning',
        revision: script.revision,
        file: script.file,
        message: `${script.file} could not be analysed: ${(error as Error).message}`,
        explanation: 'Its changes are missing from the summary and no safety rule has checked it.',
      });
    }
  }
  return { graph, summaries, findings };
}

export function analyzeMigrations(
  folder: FolderAnalysis,
  database: DatabaseReading | null,
  options: LintOptions = {},
): MigrationAnalysis {
  const { graph, summaries } = folder;
  const byRevision = new Map(summaries.map((summary) => [summary.revision, summary]));
  const pick = (ids: readonly string[]) =>
    ids.map((id) => byRevision.get(id)).filter((s): s is MigrationSummary => s !== undefined);
  // The code's head schema: what the deployed code expects to find.
  const expected = expectedSchema(pick(graph.history));
  const revisionSummaries = buildMigrationReport({ graph, summaries: pick(graph.history) }).migrations;
  const createdTables = pick(graph.history).flatMap((summary) =>
    summary.tablesCreated.map((table) => ({
      revision: summary.revision,
      table: table.name,
      columns: table.columns.map((column) => column.name),
    })),
  );

  if (!database) {
    // Without a database nothing is known to be applied: each revision is linted as if the
    // tables it does not create already hold production data — unless a release range is
    // given, where tables created earlier in the range are known to be new and empty.
    const range = options.from !== undefined ? locateDatabase(graph, [options.from]) : null;
    const findings = range
      ? lintMigrations(pick(range.pending), { existingTables: [] })
      : summaries.flatMap((summary) => lintMigration(summary, { existingTables: [] }));
    return {
      report: {
        ...buildMigrationReport({
          graph,
          ...(range ? { position: range } : {}),
          summaries: range ? pick(range.pending) : pick(graph.history),
          findings: [...folder.findings, ...findings],
        }),
        tableSizes: 'unknown',
      },
      revisionSummaries,
      createdTables,
      missingEnumValues: null,
    };
  }

  const position = locateDatabase(graph, database.versionRows);
  const pending = pick(position.pending);
  // What already ran keeps its findings (a lock it took, a column it made NOT NULL): linted as one
  // run from the root, apart from the report, so they never hold a deploy or a CLI run back.
  const pendingIds = new Set(position.pending);
  const appliedIds = position.unknown.length > 0 ? [] : graph.history.filter((id) => !pendingIds.has(id));
  const appliedFindings = lintMigrations(pick(appliedIds), { existingTables: [] });
  const linted = lintMigrations(pending, { existingTables: Object.keys(database.schema.tables) });
  const findings = database.tableSizes
    ? weighFindings(linted, database.tableSizes, options.sizeSettings)
    : linted;
  return {
    report: {
      ...buildMigrationReport({
        graph,
        position,
        summaries: pending,
        findings: [...folder.findings, ...findings],
        drift: compareSchema(expected, { tables: database.schema.tables }),
      }),
      tableSizes: database.tableSizes ? 'live' : 'unknown',
    },
    revisionSummaries,
    createdTables,
    appliedFindings,
    missingEnumValues: Object.entries(expected.enumValues).flatMap(([type, values]) => {
      const present = new Set(database.schema.enums[type] ?? []);
      return values.filter((value) => !present.has(value)).map((value) => `${type}.${value}`);
    }),
  };
}
