import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationReport } from '@flightdeck/contracts';
import { iamPolicy, initSqlParser, policyAllows, type IamPolicy } from '@flightdeck/core';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { cliWorkingDir } from '../config.js';

const bffDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const fixtures = 'src/__fixtures__/migrations';
const storyVersions = 'packages/sandbox/alembic/versions';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The real CLI under tsx, from apps/bff, as a person without pnpm would run it. */
function flightdeck(...args: string[]): Promise<Run> {
  const { INIT_CWD: _init, npm_lifecycle_event: _event, ...env } = process.env;
  return run(join(bffDir, 'node_modules/.bin/tsx'), ['src/cli/cli.ts', ...args], bffDir, env);
}

describe('flightdeck lint', () => {
  it('fails the unquoted `references` with the line, and passes it quoted', async () => {
    const unquoted = await flightdeck('lint', `${fixtures}/sql/unquoted_references.sql`);
    expect(unquoted.code).toBe(1);
    expect(unquoted.stdout).toContain(
      `${fixtures}/sql/unquoted_references.sql:4  ERROR reserved-keyword-identifier`,
    );
    expect(unquoted.stdout).toContain('Write "references" in double quotes');
    expect(unquoted.stdout).toMatch(/1 error, 0 warnings, \d+ info — failing/);

    const quoted = await flightdeck('lint', `${fixtures}/sql/quoted_references.sql`);
    expect(quoted.code).toBe(0);
    expect(quoted.stdout).not.toContain('reserved-keyword-identifier');
    expect(quoted.stdout).toMatch(/0 errors, 0 warnings/);
  });

  it('flags a non-concurrent index on an existing table, with its lock and the safe alternative', async () => {
    const result = await flightdeck('lint', `${fixtures}/index-on-existing`);
    expect(result.code).toBe(0); // a warning informs, it does not block
    expect(result.stdout).toContain(
      '0002_index_accounts_email.py:14  WARNING create-index-not-concurrently  (revision 0002, table accounts, ShareLock)',
    );
    expect(result.stdout).toContain('Instead: Use CREATE INDEX CONCURRENTLY');
  });

  it('exits 1 on an error finding and 0 on a clean folder', async () => {
    const failing = await flightdeck('lint', `${fixtures}/not-null-column`);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('ERROR add-column-not-null-without-default');

    const twoHeads = await flightdeck('lint', `${fixtures}/two-heads`);
    expect(twoHeads.code).toBe(1);
    expect(twoHeads.stdout).toContain('ERROR multiple-heads');

    const clean = await flightdeck('lint', `${fixtures}/clean`, '--json');
    expect(clean.code).toBe(0);
    const json = JSON.parse(clean.stdout) as { findingCounts: Record<string, number> };
    expect(json.findingCounts).toMatchObject({ error: 0, warning: 0 });
  });

  it('passes the story’s folder: one warning for `references`, no errors', async () => {
    const result = await flightdeck('lint', `../../${storyVersions}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Linted 9 revisions in/);
    expect(result.stdout).toMatch(/0 errors, 1 warning, \d+ info/);
  });

  it('exits 2 with a clear message on usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Which command\?[\s\S]*Usage:/],
      [['lint', 'no/such/folder'], /no\/such\/folder does not exist/],
      [['lint', `${fixtures}/clean`, '--fix'], /Unknown option '--fix'/],
    ];
    const results = await Promise.all(cases.map(([args]) => flightdeck(...args)));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    });
  });
});

describe('runCli (in process, same code as the spawned CLI)', () => {
  beforeAll(initSqlParser);

  async function cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { cwd: bffDir, out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('refuses what it cannot do with exit 2 and says why', async () => {
    const cases: [string[], RegExp][] = [
      [['launch'], /Unknown command "launch"/],
      [['deploy'], /Which deploy command\?/],
      [['lint'], /Missing the path to analyse/],
      [['lint', 'a', 'b'], /One path, not 2/],
      [['lint', 'package.json'], /neither a versions folder nor a \.sql file/],
      [['migrations', `${fixtures}/sql/quoted_references.sql`], /is not a versions folder/],
      [['migrations', `${fixtures}/clean`, '--db'], /--db/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect((await cli('--help')).code).toBe(0);
  });

  it('refuses contradicting or unknown lint options with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['lint', `${fixtures}/clean`, '--format', 'xml'], /--format is one of text, json, sarif, github/],
      [['lint', `${fixtures}/clean`, '--json', '--format', 'sarif'], /contradict/],
      [['lint', `${fixtures}/clean`, '--db', 'postgres://x', '--from', '0001'], /give one/],
      [['lint', `${fixtures}/clean`, '--from', 'nope'], /no revision of .* has that id/],
      [['lint', `${fixtures}/sql/quoted_references.sql`, '--from', '0001'], /applies to a versions folder/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  describe('a release range, suppressions and CI formats', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'flightdeck-cli-lint-'));
      const script = (id: string, down: string, body: string[]) =>
        [
          'from alembic import op',
          'import sqlalchemy as sa',
          `revision = "${id}"`,
          `down_revision = ${down}`,
          '',
          'def upgrade():',
          ...body.map((line) => `    ${line}`),
          '',
        ].join('\n');
      writeFileSync(
        join(dir, '0001_base.py'),
        script('0001', 'None', [
          'op.create_table("accounts", sa.Column("id", sa.Integer, primary_key=True))',
        ]),
      );
      writeFileSync(
        join(dir, '0002_invoices.py'),
        script('0002', '"0001"', [
          'op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))',
        ]),
      );
      writeFileSync(
        join(dir, '0003_columns.py'),
        script('0003', '"0002"', [
          'op.add_column("invoices", sa.Column("number", sa.Text(), nullable=False))',
          '# flightdeck: ignore add-column-not-null-without-default -- accounts is emptied by 0002 in every environment',
          'op.add_column("accounts", sa.Column("plan", sa.Text(), nullable=False))',
        ]),
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('over the whole history each revision stands alone: invoices may hold rows', async () => {
      const result = await cli('lint', dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('Table sizes: unknown (no --db)');
      expect(result.stdout).toContain('0003_columns.py:7  ERROR add-column-not-null-without-default');
      expect(result.stdout).toContain(
        '0003_columns.py:9  SUPPRESSED ERROR add-column-not-null-without-default  (revision 0003, table accounts, AccessExclusiveLock)',
      );
      expect(result.stdout).toContain('  Suppressed: accounts is emptied by 0002 in every environment');
      expect(result.stdout).toMatch(/1 error, 0 warnings, \d+ info, 1 suppressed — failing/);
    });

    it('--from 0001: invoices is created earlier in the release, so it is empty and nothing fails', async () => {
      const result = await cli('lint', dir, '--from', '0001');
      expect(result.stdout).toContain('Linted 2 revisions after 0001');
      expect(result.stdout).not.toContain('  ERROR');
      expect(result.code).toBe(0);
    });

    it('--format github: exact workflow command lines, the suppressed one a notice', async () => {
      const result = await cli('lint', dir, '--format', 'github');
      const path = relative(bffDir, join(dir, '0003_columns.py'));
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toContain(
        `::error file=${path},line=7,title=add-column-not-null-without-default::invoices.number is added NOT NULL without a default: this fails if invoices has any row.`,
      );
      expect(lines).toContain(
        `::notice file=${path},line=9,title=add-column-not-null-without-default (suppressed)::Suppressed error: accounts.plan is added NOT NULL without a default: this fails if accounts has any row. Reason: accounts is emptied by 0002 in every environment`,
      );
      expect(result.code).toBe(1);
    });

    it('--format sarif: rules link to docs/lint-rules.md, results carry file, line and suppressions', async () => {
      const result = await cli('lint', dir, '--format', 'sarif');
      const log = JSON.parse(result.stdout) as {
        version: string;
        runs: {
          tool: { driver: { rules: { id: string; helpUri: string }[] } };
          results: { ruleId: string; level: string; suppressions?: unknown[]; locations: unknown[] }[];
        }[];
      };
      expect(log.version).toBe('2.1.0');
      const rule = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'add-column-not-null-without-default');
      expect(rule?.helpUri).toMatch(
        /^file:\/\/.*\/docs\/lint-rules\.md#add-column-not-null-without-default$/,
      );
      // The link opens the repository's own rule documentation.
      expect(existsSync(new URL(rule!.helpUri.split('#')[0]!))).toBe(true);
      const results = log.runs[0]!.results.filter((r) => r.ruleId === 'add-column-not-null-without-default');
      expect(results).toHaveLength(2);
      expect(results[1]).toMatchObject({
        level: 'error',
        suppressions: [
          { kind: 'inSource', justification: 'accounts is emptied by 0002 in every environment' },
        ],
        locations: [{ physicalLocation: { region: { startLine: 9 } } }],
      });
    });
  });

  it('resolves paths from where pnpm was invoked, and ignores an INIT_CWD it did not set', () => {
    expect(cliWorkingDir({ npm_lifecycle_event: 'cli', INIT_CWD: '/repo' }, '/repo/apps/bff')).toBe('/repo');
    expect(cliWorkingDir({ npm_lifecycle_event: 'test', INIT_CWD: '/elsewhere' }, '/here')).toBe('/here');
    expect(cliWorkingDir({}, '/here')).toBe('/here');
  });

  it('explains an empty folder in words, without failing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'flightdeck-cli-'));
    try {
      const result = await cli('migrations', empty);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Revision history (0 revisions, heads none)');
      expect(result.stdout).toContain('versions/ contains no revision scripts');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('flightdeck migrations', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('runs as `pnpm flightdeck migrations <dir>` from the repo root, the path relative to it', async () => {
    const result = await run('pnpm', ['-s', 'flightdeck', 'migrations', storyVersions], repoRoot, {
      ...process.env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Revision history (9 revisions, head 20260131_0000)');
    expect(result.stdout).toContain('  7702d353e5b8   add coordinator_notification_preferences');
  });

  it('with --db: where the database stands, the story’s counts and the drift', async () => {
    const result = await flightdeck('migrations', `../../${storyVersions}`, '--db', sandbox.databaseUrl);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('> 20260115_0200  current   in-app notifications');
    expect(result.stdout).toContain(
      'Database: at 20260115_0200 — 4 migrations pending: 20260115_0300 → 20260127_0100 → 7702d353e5b8 → 20260131_0000',
    );
    expect(result.stdout).toContain('  Total: +3 tables, +22 columns, +7 indexes, +1 enum value');
    expect(result.stdout).toContain('Schema drift: 3 tables and 22 columns missing');
    expect(result.stdout).toContain(
      'missing tables: provider_credentials, coordinator_notification_preferences, payment_methods',
    );
  });

  it('--json prints the report object, and after the migrations nothing is missing', async () => {
    await sandbox.scenario.applyMigrations();
    const result = await flightdeck(
      'migrations',
      `../../${storyVersions}`,
      '--db',
      sandbox.databaseUrl,
      '--json',
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as MigrationReport;
    expect(report.position).toMatchObject({ current: ['20260131_0000'], pending: [], upToDate: true });
    expect(report.drift).toMatchObject({ missingTables: [], missingColumns: [], summary: 'nothing missing' });
  });

  it('still prints the history when the database cannot be read, and exits 1', async () => {
    const result = await flightdeck(
      'migrations',
      `${fixtures}/clean`,
      '--db',
      'postgres://flightdeck:s3cret@127.0.0.1:1/nowhere',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Revision history (2 revisions, head 0002)');
    expect(result.stderr).toMatch(/Could not read the database/);
    expect(result.stderr).not.toContain('s3cret');
  });
});

describe('flightdeck iam-policy', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { cwd: tmpdir(), out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
    };
  };

  it('prints the least-privilege policy for the configured resources', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flightdeck-iam-'));
    try {
      writeFileSync(
        join(dir, 'flightdeck.json'),
        JSON.stringify({
          mode: 'aws',
          aws: { region: 'eu-west-1', expectedAccountId: '210987654321' },
          database: { url: 'postgres://ro@db/orders' },
          alembic: { versionsDir: 'versions' },
          rds: { dbInstanceIdentifier: 'orders-db' },
          functions: [{ name: 'orders-api', alias: 'live' }],
          auth: { mode: 'proxy' },
        }),
      );
      const run = io();
      expect(await runCli(['iam-policy', '--config', join(dir, 'flightdeck.json')], run.io)).toBe(0);
      const policy = JSON.parse(run.out.join('')) as IamPolicy;
      expect(policy).toEqual(
        iamPolicy({
          region: 'eu-west-1',
          accountId: '210987654321',
          dbInstance: 'orders-db',
          functions: [{ name: 'orders-api', alias: 'live' }],
          sqlFunction: null,
        }),
      );
      expect(
        policyAllows(
          policy,
          'rds:RestoreDBInstanceFromDBSnapshot',
          'arn:aws:rds:eu-west-1:210987654321:db:orders-db-restored-1a2b3c4d',
        ),
      ).toBe(true);
      expect(
        policyAllows(
          policy,
          'lambda:UpdateAlias',
          'arn:aws:lambda:eu-west-1:210987654321:function:billing-api:live',
        ),
      ).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks for the account when the config names none (exit 2)', async () => {
    const run = io();
    expect(await runCli(['iam-policy'], run.io)).toBe(2);
    expect(run.err.join('')).toMatch(/Set aws.expectedAccountId in the config or pass --account/);
  });
});
