// `pnpm flightdeck migrations|lint …`: the migration analysis in a terminal or a deploy
// pipeline. `lint` exits 1 when any finding is an error, so a pipeline can gate on it.
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  countBySeverity,
  formatMigrationReport,
  initSqlParser,
  lintMigration,
  lintMigrations,
  offlineRevisionMarkers,
  sortFindings,
  summarizeOfflineSql,
  summarizeSql,
  type MigrationFinding,
} from '@flightdeck/core';
import { describeError } from '../platform/sources/collector.js';
import { cliWorkingDir } from '../config.js';
import {
  analyzeFolder,
  analyzeMigrations,
  type DatabaseReading,
} from '../modules/migrations/migration-analysis.js';
import { readVersionsFolderFiles } from '../platform/upstreams/versions-folder.js';
import { DirectTargetDatabase } from '../platform/upstreams/target-database.js';
import { readDatabaseSchema, readVersionRows } from '../modules/migrations/schema-reader.js';

export const usage = `Usage:
  flightdeck migrations <versions-dir> [--db <postgres-url>] [--json]
      The revision history; with --db, where the database stands, what the pending
      migrations do, their findings and the schema drift.
  flightdeck lint <versions-dir | file.sql> [--json]
      Migration safety findings. Exits 1 when any is an error, 0 otherwise.
Relative paths are resolved against the directory you ran the command from.
`;

export interface CliIo {
  /** Where relative paths start. */
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

export const exitCodes = { ok: 0, errorFindings: 1, databaseUnreadable: 1, usage: 2 } as const;

class UsageError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(usage);
      return exitCodes.ok;
    }
    if (command === undefined) throw new UsageError('Which command?');
    if (command === 'migrations') return await migrationsCommand(rest, io);
    if (command === 'lint') return await lintCommand(rest, io);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`flightdeck: ${error.message}\n\n${usage}`);
    return exitCodes.usage;
  }
}

function parse(argv: readonly string[], options: { db?: boolean }) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        ...(options.db ? { db: { type: 'string' as const } } : {}),
      },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'Missing the path to analyse.' : `One path, not ${positionals.length}.`,
      );
    return { path: positionals[0]!, json: values.json === true, db: values.db as string | undefined };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // parseArgs: unknown option, or --db without a value.
    throw new UsageError((error as Error).message);
  }
}

async function kindOf(path: string): Promise<'dir' | 'file'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    throw new UsageError(`${path} does not exist.`);
  }
}

async function migrationsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parse(argv, { db: true });
  if (args.db === '') throw new UsageError('--db needs a postgres:// URL.');
  const dir = resolve(io.cwd, args.path);
  if ((await kindOf(dir)) !== 'dir') throw new UsageError(`${args.path} is not a versions folder.`);

  await initSqlParser();
  const folder = await readVersionsFolderFiles(dir);
  if (folder.problem) throw new UsageError(folder.problem);
  let reading: DatabaseReading | null = null;
  let databaseProblem: string | null = null;
  if (args.db) {
    const database = new DirectTargetDatabase(args.db);
    try {
      const [versionRows, schema] = await Promise.all([
        readVersionRows(database),
        readDatabaseSchema(database),
      ]);
      reading = { versionRows, schema };
    } catch (error) {
      const { code, message } = describeError(error, new Date());
      databaseProblem = `Could not read the database (${code}): ${message}`;
    } finally {
      await database.close();
    }
  }
  const analysis = analyzeMigrations(analyzeFolder(folder.files), reading);
  if (args.json) io.out(`${JSON.stringify(analysis.report, null, 2)}\n`);
  else {
    io.out(`Versions folder: ${relative(io.cwd, dir) || '.'}\n`);
    io.out(formatMigrationReport(analysis.report));
    if (analysis.missingEnumValues?.length)
      io.out(`  missing enum values: ${analysis.missingEnumValues.join(', ')}\n`);
  }
  if (databaseProblem) {
    // The history above still holds; only where the database stands is unknown.
    io.err(`flightdeck: ${databaseProblem}\n`);
    return exitCodes.databaseUnreadable;
  }
  return exitCodes.ok;
}

async function lintCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parse(argv, {});
  const target = resolve(io.cwd, args.path);
  const kind = await kindOf(target);
  await initSqlParser();
  let findings: MigrationFinding[];
  let linted: string;
  if (kind === 'dir') {
    const folder = await readVersionsFolderFiles(target);
    if (folder.problem) throw new UsageError(folder.problem);
    const analysis = analyzeMigrations(analyzeFolder(folder.files), null);
    findings = analysis.report.findings;
    linted = `${analysis.report.revisions.length} revision${analysis.report.revisions.length === 1 ? '' : 's'} in ${args.path}`;
  } else {
    if (extname(target).toLowerCase() !== '.sql')
      throw new UsageError(`${args.path} is neither a versions folder nor a .sql file.`);
    findings = sortFindings(lintSqlFile(await readFile(target, 'utf8'), args.path));
    linted = args.path;
  }
  const counts = countBySeverity(findings);
  if (args.json)
    io.out(`${JSON.stringify({ target: args.path, findings, findingCounts: counts }, null, 2)}\n`);
  else io.out(formatLint(linted, findings, counts));
  return counts.error > 0 ? exitCodes.errorFindings : exitCodes.ok;
}

/**
 * A hand-written SQL file is one migration; Alembic's offline output (`upgrade --sql`) is a run
 * of revisions, linted in order so that tables created earlier in it count as new.
 */
function lintSqlFile(sql: string, file: string): MigrationFinding[] {
  if (offlineRevisionMarkers(sql).length > 0)
    return lintMigrations(summarizeOfflineSql(sql, file), { existingTables: [] });
  const summary = summarizeSql(basename(file, extname(file)), sql, { file });
  return lintMigration(summary, { existingTables: [] });
}

/** Compiler-style lines (file:line first), which CI logs turn into links. */
function formatLint(
  linted: string,
  findings: readonly MigrationFinding[],
  counts: Record<MigrationFinding['severity'], number>,
): string {
  const lines = [`Linted ${linted}`];
  for (const finding of findings) {
    const where = finding.file
      ? `${finding.file}${finding.line ? `:${finding.line}` : ''}`
      : finding.revision;
    const context = [
      // A SQL file's "revision" is its own name; say it only when it adds something.
      finding.revision && finding.file && finding.revision !== basename(finding.file, extname(finding.file))
        ? `revision ${finding.revision}`
        : null,
      finding.table ? `table ${finding.table}` : null,
      finding.lock ?? null,
    ].filter((part): part is string => part !== null);
    lines.push(
      '',
      `${where ? `${where}  ` : ''}${finding.severity.toUpperCase()} ${finding.ruleId}${context.length ? `  (${context.join(', ')})` : ''}`,
      `  ${finding.message}`,
    );
    if (finding.statement) lines.push(`  > ${finding.statement.split('\n').join('\n  > ')}`);
    if (finding.severity !== 'info' && finding.safeAlternative)
      lines.push(`  Instead: ${finding.safeAlternative}`);
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    '',
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${counts.error ? ' — failing' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const code = await runCli(process.argv.slice(2), {
    cwd: cliWorkingDir(),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
