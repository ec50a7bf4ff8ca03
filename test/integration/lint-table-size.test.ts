import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes, runCli } from '@flightdeck/bff';
import type { MigrationFinding } from '@flightdeck/contracts';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

const { available } = postgresAvailability();

const revision = (id: string, down: string | null, body: string) => `"""${id}"""
from alembic import op
import sqlalchemy as sa

revision = "${id}"
down_revision = ${down ? `"${down}"` : 'None'}


def upgrade():
    ${body}
`;

/** `flightdeck lint --db` against a real server: the same finding, weighed by the live table. */
describe.skipIf(!available)('lint weighed by the live table on a real PostgreSQL server', () => {
  let server: PostgresServer;
  let client: pg.Client;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgresServer();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)');
    await client.query("INSERT INTO alembic_version VALUES ('0001')");
    await client.query('CREATE TABLE providers (id serial PRIMARY KEY, npi varchar(20))');
    dir = mkdtempSync(join(tmpdir(), 'flightdeck-lint-size-'));
    writeFileSync(
      join(dir, '0001_providers.py'),
      revision(
        '0001',
        null,
        'op.create_table("providers", sa.Column("id", sa.Integer, primary_key=True), sa.Column("npi", sa.String(20)))',
      ),
    );
    writeFileSync(
      join(dir, '0002_npi_bigint.py'),
      revision(
        '0002',
        '0001',
        'op.alter_column("providers", "npi", existing_type=sa.String(20), type_=sa.BigInteger(), postgresql_using="npi::bigint")',
      ),
    );
    // Thresholds a test can reach: 100,000 rows is "large" here
    writeFileSync(
      join(dir, 'flightdeck.json'),
      JSON.stringify({ lint: { largeTableRows: 100_000, rewriteMBPerSecond: 50 } }),
    );
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function lint(): Promise<{ code: number; findings: MigrationFinding[]; tableSizes: string }> {
    let out = '';
    const code = await runCli(
      ['lint', dir, '--db', server.url, '--format', 'json', '--config', join(dir, 'flightdeck.json')],
      { cwd: dir, out: (text) => (out += text), err: (text) => (out += text) },
    );
    const parsed = JSON.parse(out) as { findings: MigrationFinding[]; tableSizes: string };
    return { code, ...parsed };
  }

  it('the ALTER COLUMN TYPE rewrite is an info on the empty table', async () => {
    const { code, findings, tableSizes } = await lint();
    expect(tableSizes).toBe('live');
    const rewrite = findings.find((f) => f.ruleId === 'column-type-change-rewrites-table');
    expect(rewrite).toMatchObject({
      severity: 'info',
      table: 'providers',
      tableSize: { lockSeconds: expect.any(Number) },
    });
    expect(rewrite!.tableSize!.bytes).toBeLessThan(100_000);
    expect(rewrite!.message).toContain('under a second rewriting it, with every query on providers waiting');
    expect(code).toBe(exitCodes.ok);
  });

  it('and an error naming its size once the table is large (rows inserted, ANALYZE run)', async () => {
    await client.query(
      "INSERT INTO providers (npi) SELECT lpad(g::text, 10, '0') FROM generate_series(1, 150000) AS g",
    );
    await client.query('ANALYZE providers');
    const { code, findings } = await lint();
    const rewrite = findings.find((f) => f.ruleId === 'column-type-change-rewrites-table');
    expect(rewrite).toMatchObject({ severity: 'error', table: 'providers', tableSize: { rows: 150_000 } });
    expect(rewrite!.tableSize!.bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(rewrite!.message).toMatch(
      /providers: 150,000 rows, \d+(\.\d)? MB: .+ rewriting it, with every query on providers waiting\./,
    );
    expect(code).toBe(exitCodes.errorFindings);
  });
});
