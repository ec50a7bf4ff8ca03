// `pnpm flightdeck migrations|lint|iam-policy|deploy …`: the migration analysis in a terminal or a
// deploy pipeline. `lint` exits 1 when any finding is an error, so a pipeline can gate on it;
// `deploy …` drives and gates a deploy over a running Flightdeck's API (deploy-command.ts).
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  countBySeverity,
  formatMigrationReport,
  initSqlParser,
  lintGithubCommands,
  lintMigration,
  lintMigrations,
  lintSarif,
  offlineRevisionMarkers,
  sortFindings,
  summarizeOfflineSql,
  summarizeSql,
  weighFindings,
  type FindingCounts,
  type MigrationFinding,
  type TableSizeSettings,
} from '@flightdeck/core';
import { describeError } from '../platform/sources/collector.js';
import { cliWorkingDir, ConfigError, lintSettings, pipelineEnv } from '../config.js';
import {
  analyzeFolder,
  analyzeMigrations,
  type DatabaseReading,
} from '../modules/migrations/migration-analysis.js';
import { readVersionsFolderFiles } from '../platform/upstreams/versions-folder.js';
import { DirectTargetDatabase } from '../platform/upstreams/target-database.js';
import { readDatabaseSchema, readVersionRows } from '../modules/migrations/schema-reader.js';
import { readTableSizes } from '../modules/migrations/table-sizes.js';
import { iamPolicyCommand, IamPolicyUsageError } from './iam-policy-command.js';
import { deployUsage, runDeployCommand } from './deploy-command.js';

export const usage = `Usage:
  flightdeck migrations <versions-dir> [--db <postgres-url>] [--json]
      The revision history; with --db, where the database stands, what the pending
      migrations do, their findings and the schema drift.
  flightdeck lint <versions-dir | file.sql> [--db <postgres-url> | --from <revision>]
                  [--format text|json|sarif|github] [--config <file>]
      Migration safety findings. Exits 1 when any unsuppressed finding is an error, 0 otherwise.
      --db    lint what the database has still to run, weighed by its tables' sizes
      --from  lint the revisions after <revision> as one release (tables it creates are empty)
      --format  text (default), json (--json), sarif (SARIF 2.1.0), github (workflow commands)
      --config  a Flightdeck config file for the lint.* settings (or FLIGHTDECK_CONFIG)
  flightdeck iam-policy [--config <file>] [--account <12 digits>]
      The least-privilege IAM policy for the configured resources (JSON): every action and ARN
      Flightdeck reads or changes. The account comes from aws.expectedAccountId or --account.
${deployUsage}Relative paths are resolved against the directory you ran the command from.
`;

const lintFormats = ['text', 'json', 'sarif', 'github'] as const;
type LintFormat = (typeof lintFormats)[number];

/**
 * The rule documentation in this checkout (from src/cli/ or the bundled dist/); SARIF links each
 * rule to its section.
 */
const lintRulesDoc = (
  ['../../../../docs/lint-rules.md', '../../../docs/lint-rules.md']
    .map((path) => new URL(path, import.meta.url))
    .find((url) => existsSync(url)) ?? new URL('../../../../docs/lint-rules.md', import.meta.url)
).href;

export interface CliIo {
  /** Where relative paths start. */
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** FLIGHTDECK_URL and FLIGHTDECK_TOKEN for `deploy` (config's pipelineEnv when not given). */
  env?: Record<string, string | undefined>;
}

/** Shown in SARIF as the tool's version. */
const cliVersion = '0.1.0';

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
    if (command === 'deploy') return await runDeployCommand(rest, { ...io, env: io.env ?? pipelineEnv() });
    if (command === 'iam-policy') {
      try {
        io.out(iamPolicyCommand(rest, io.cwd));
        return exitCodes.ok;
      } catch (error) {
        if (error instanceof IamPolicyUsageError) throw new UsageError(error.message);
        throw error;
      }
    }
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`flightdeck: ${error.message}\n\n${usage}`);
    return exitCodes.usage;
  }
}

function parse(argv: readonly string[], options: { lint?: boolean }) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        db: { type: 'string' as const },
        ...(options.lint
          ? {
              from: { type: 'string' as const },
              format: { type: 'string' as const },
              config: { type: 'string' as const },
            }
          : {}),
      },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'Missing the path to analyse.' : `One path, not ${positionals.length}.`,
      );
    const format = (values.format as string | undefined) ?? (values.json ? 'json' : 'text');
    if (!(lintFormats as readonly string[]).includes(format))
      throw new UsageError(`--format is one of ${lintFormats.join(', ')}, not "${format}".`);
    if (values.json && values.format && values.format !== 'json')
      throw new UsageError(`--json and --format ${String(values.format)} contradict each other.`);
    if (values.db !== undefined && values.from !== undefined)
      throw new UsageError('--db and --from both say where the release starts: give one.');
    return {
      path: positionals[0]!,
      json: values.json === true,
      db: values.db as string | undefined,
      from: values.from as string | undefined,
      format: format as LintFormat,
      config: values.config as string | undefined,
    };
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
  const args = parse(argv, {});
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
  const args = parse(argv, { lint: true });
  if (args.db === '') throw new UsageError('--db needs a postgres:// URL.');
  if (args.from === '') throw new UsageError('--from needs a revision id.');
  const target = resolve(io.cwd, args.path);
  const kind = await kindOf(target);
  let settings: TableSizeSettings;
  try {
    settings = lintSettings(args.config && resolve(io.cwd, args.config));
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  await initSqlParser();
  let reading: DatabaseReading | null = null;
  if (args.db) {
    const database = new DirectTargetDatabase(args.db);
    try {
      const [versionRows, schema, tableSizes] = await Promise.all([
        readVersionRows(database),
        readDatabaseSchema(database),
        readTableSizes(database),
      ]);
      reading = { versionRows, schema, tableSizes };
    } catch (error) {
      const { code, message } = describeError(error, new Date());
      io.err(`flightdeck: Could not read the database (${code}): ${message}\n`);
      return exitCodes.databaseUnreadable;
    } finally {
      await database.close();
    }
  }
  let findings: MigrationFinding[];
  let linted: string;
  // Where each finding's file is, relative to where the command ran (CI annotations need it)
  let artifactPath: (finding: MigrationFinding) => string | null;
  if (kind === 'dir') {
    const folder = await readVersionsFolderFiles(target);
    if (folder.problem) throw new UsageError(folder.problem);
    const analyzed = analyzeFolder(folder.files);
    if (args.from !== undefined && !analyzed.graph.revisions.some((r) => r.revision === args.from))
      throw new UsageError(`--from ${args.from}: no revision of ${args.path} has that id.`);
    const analysis = analyzeMigrations(analyzed, reading, {
      sizeSettings: settings,
      ...(args.from !== undefined ? { from: args.from } : {}),
    });
    findings = analysis.report.findings;
    const count =
      reading || args.from !== undefined
        ? (analysis.report.position?.pending.length ?? 0)
        : analysis.report.revisions.length;
    const scope = reading ? ' pending on the database' : args.from !== undefined ? ` after ${args.from}` : '';
    linted = `${count} revision${count === 1 ? '' : 's'}${scope} in ${args.path}`;
    artifactPath = (finding) => (finding.file ? relative(io.cwd, join(target, finding.file)) : null);
  } else {
    if (extname(target).toLowerCase() !== '.sql')
      throw new UsageError(`${args.path} is neither a versions folder nor a .sql file.`);
    if (args.from !== undefined) throw new UsageError('--from applies to a versions folder, not a SQL file.');
    const existingTables = reading ? Object.keys(reading.schema.tables) : [];
    const sqlFindings = lintSqlFile(await readFile(target, 'utf8'), args.path, existingTables);
    findings = sortFindings(
      reading?.tableSizes ? weighFindings(sqlFindings, reading.tableSizes, settings) : sqlFindings,
    );
    linted = args.path;
    artifactPath = (finding) => (finding.file ? relative(io.cwd, resolve(io.cwd, finding.file)) : null);
  }
  const counts = countBySeverity(findings);
  const tableSizes = reading ? 'live' : 'unknown';
  switch (args.format) {
    case 'json':
      io.out(
        `${JSON.stringify({ target: args.path, tableSizes, findings, findingCounts: counts }, null, 2)}\n`,
      );
      break;
    case 'sarif':
      io.out(
        `${JSON.stringify(lintSarif(findings, { toolVersion: cliVersion, helpUri: (rule) => `${lintRulesDoc}#${rule}`, artifactPath }), null, 2)}\n`,
      );
      break;
    case 'github':
      for (const line of lintGithubCommands(findings, artifactPath)) io.out(`${line}\n`);
      break;
    default:
      io.out(formatLint(linted, findings, counts, reading !== null));
  }
  return counts.error > 0 ? exitCodes.errorFindings : exitCodes.ok;
}

/**
 * A hand-written SQL file is one migration; Alembic's offline output (`upgrade --sql`) is a run
 * of revisions, linted in order so that tables created earlier in it count as new.
 */
function lintSqlFile(sql: string, file: string, existingTables: string[]): MigrationFinding[] {
  if (offlineRevisionMarkers(sql).length > 0)
    return lintMigrations(summarizeOfflineSql(sql, file), { existingTables });
  const summary = summarizeSql(basename(file, extname(file)), sql, { file });
  return lintMigration(summary, { existingTables });
}

/** Compiler-style lines (file:line first), which CI logs turn into links. */
function formatLint(
  linted: string,
  findings: readonly MigrationFinding[],
  counts: FindingCounts,
  sizesKnown: boolean,
): string {
  const lines = [
    `Linted ${linted}`,
    sizesKnown
      ? 'Table sizes: read from the database (pg_class); findings that hold a lock are weighed by them.'
      : 'Table sizes: unknown (no --db); severities do not weigh how large the tables are.',
  ];
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
      `${where ? `${where}  ` : ''}${finding.suppressed ? 'SUPPRESSED ' : ''}${finding.severity.toUpperCase()} ${finding.ruleId}${context.length ? `  (${context.join(', ')})` : ''}`,
      `  ${finding.message}`,
    );
    if (finding.statement) lines.push(`  > ${finding.statement.split('\n').join('\n  > ')}`);
    if (finding.suppressed) lines.push(`  Suppressed: ${finding.suppressed.reason}`);
    else if (finding.severity !== 'info' && finding.safeAlternative)
      lines.push(`  Instead: ${finding.safeAlternative}`);
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    '',
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${counts.suppressed ? `, ${counts.suppressed} suppressed` : ''}${counts.error ? ' — failing' : ''}`,
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
