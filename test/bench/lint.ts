// How long `flightdeck lint` takes on a history of 10, 100 and 1,000 revisions, generated in the
// shapes real projects write (tables, columns, indexes, raw SQL with bound parameters, dialect
// branches, suppressions). Goal: 100 revisions under 2 s, and time linear in revisions.
// Run: pnpm bench:lint
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '@flightdeck/bff';

function revisionScript(index: number): string {
  const id = `r${String(index).padStart(5, '0')}`;
  const down = index === 0 ? 'None' : `"r${String(index - 1).padStart(5, '0')}"`;
  const table = `t${index}`;
  const previous = index === 0 ? 'accounts' : `t${index - 1}`;
  return `"""revision ${index}

Revision ID: ${id}
Revises: ${down}
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import text

revision = "${id}"
down_revision = ${down}
branch_labels = None
depends_on = None

COLUMNS = ["a", "b", "c"]


def upgrade():
    op.create_table(
        "${table}",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("${previous}_id", sa.Integer, sa.ForeignKey("${previous}.id", ondelete="CASCADE")),
    )
    for column in COLUMNS:
        op.add_column("${previous}", sa.Column(f"extra_{column}_${index}", sa.Text(), nullable=True))
    op.create_index("ix_${table}_name", "${table}", ["name"])
    # flightdeck: ignore create-index-not-concurrently -- ${previous} is small in every environment
    op.create_index("ix_${previous}_extra_${index}", "${previous}", ["extra_a_${index}"])
    op.execute(
        sa.text("UPDATE ${previous} SET extra_b_${index} = :value WHERE id = :id").bindparams(value="x", id=1)
    )
    bind = op.get_bind()
    if bind.dialect.name == "mysql":
        op.execute("ALTER TABLE ${table} MODIFY name VARCHAR(200) NOT NULL")
    else:
        op.execute("ALTER TABLE ${table} ALTER COLUMN name TYPE VARCHAR(200)")
    op.alter_column("${previous}", "extra_c_${index}", existing_type=sa.Text(), nullable=False)


def downgrade():
    op.drop_table("${table}")
`;
}

function generateHistory(revisions: number): string {
  const dir = mkdtempSync(join(tmpdir(), `flightdeck-lint-bench-${revisions}-`));
  for (let i = 0; i < revisions; i++)
    writeFileSync(join(dir, `r${String(i).padStart(5, '0')}_step.py`), revisionScript(i));
  return dir;
}

async function lintOnce(dir: string): Promise<{ ms: number; findings: number; code: number }> {
  let out = '';
  const started = performance.now();
  const code = await runCli(['lint', dir, '--format', 'json'], {
    cwd: dir,
    out: (text) => (out += text),
    err: (text) => process.stderr.write(text),
  });
  const ms = performance.now() - started;
  return { ms, findings: (JSON.parse(out) as { findings: unknown[] }).findings.length, code };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const sizes = [10, 100, 1000];
const results: { revisions: number; ms: number; findings: number }[] = [];
// The first call loads the SQL parser (WASM): measured apart, not in the figures
const warmDir = generateHistory(1);
const warm = await lintOnce(warmDir);
rmSync(warmDir, { recursive: true, force: true });
console.log(`warm-up (loads the PostgreSQL parser): ${warm.ms.toFixed(0)} ms`);
for (const revisions of sizes) {
  const dir = generateHistory(revisions);
  const runs = [];
  for (let i = 0; i < (revisions >= 1000 ? 3 : 5); i++) runs.push(await lintOnce(dir));
  rmSync(dir, { recursive: true, force: true });
  const ms = median(runs.map((run) => run.ms));
  results.push({ revisions, ms, findings: runs[0]!.findings });
  console.log(
    `lint ${String(revisions).padStart(5)} revisions: ${ms.toFixed(0).padStart(6)} ms median of ${runs.length}` +
      `  (${(ms / revisions).toFixed(2)} ms per revision, ${runs[0]!.findings} findings, exit ${runs[0]!.code})`,
  );
}
const at = (n: number) => results.find((r) => r.revisions === n)!;
const perRevision = (n: number) => at(n).ms / n;
const linearity = perRevision(1000) / perRevision(100);
console.log(
  `SUMMARY: lint 100 revisions ${(at(100).ms / 1000).toFixed(2)} s (goal < 2 s: ${at(100).ms < 2000 ? 'met' : 'MISSED'}); ` +
    `per revision ${perRevision(10).toFixed(2)} / ${perRevision(100).toFixed(2)} / ${perRevision(1000).toFixed(2)} ms at 10 / 100 / 1,000; ` +
    `1,000 vs 100 per-revision ratio ${linearity.toFixed(2)} (1.0 = linear)`,
);
