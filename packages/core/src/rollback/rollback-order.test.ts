// Evidence 4: a drop or a rename puts the database first and says why; the story's
// additive migrations let the alias go back alone. Downgrades that lose data or do
// nothing are flagged.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { readVersionsFolder } from '../alembic/revision-graph.js';
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import {
  initSqlParser,
  summarizeRevisionDowngrade,
  summarizeRevisionScript,
} from '../migrations/summarize.js';
import { lintMigration } from '../migrations/lint.js';
import { lintRules } from '../migrations/lint-rules.js';
import { planRollbackOrder, type RevisionForRollback } from './rollback-order.js';

const storyFolder = fileURLToPath(new URL('../migrations/__fixtures__/story/versions', import.meta.url));
const files = readFixtureFolder(storyFolder);
const graph = readVersionsFolder(files);
const storyRevisions = ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'];

beforeAll(async () => {
  await initSqlParser();
});

function entryFor(script: Pick<RevisionScript, 'file' | 'revision'>, source: string): RevisionForRollback {
  return {
    revision: script.revision,
    upgrade: summarizeRevisionScript(script as RevisionScript, source),
    downgrade: summarizeRevisionDowngrade(script as RevisionScript, source),
  };
}

function script(revision: string, upgrade: string, downgrade: string | null): RevisionForRollback {
  const source = [
    'from alembic import op',
    'import sqlalchemy as sa',
    `revision = "${revision}"`,
    'down_revision = "20260131_0000"',
    '',
    'def upgrade():',
    ...upgrade.split('\n').map((line) => `    ${line}`),
    '',
    ...(downgrade === null ? [] : ['def downgrade():', ...downgrade.split('\n').map((l) => `    ${l}`)]),
    '',
  ].join('\n');
  return entryFor({ file: `${revision}.py`, revision }, source);
}

describe('rollback order', () => {
  it("lets the alias go back alone after the story's additive migrations, and says why", () => {
    const applied = storyRevisions.map((revision) => {
      const s = graph.revisions.find((r) => r.revision === revision)!;
      return entryFor(s, files.find((f) => f.file === s.file)!.source!);
    });
    const plan = planRollbackOrder(applied);
    expect(plan.breakingChanges).toEqual([]);
    expect(plan.order).toBe('alias-alone');
    expect(plan.steps).toEqual(['lambda']);
    expect(plan.reasons[0]).toMatch(/only add/);
    // The story's downgrade() drops the tables and columns it created: flagged as losing data.
    const credentials = plan.downgrades.find((d) => d.revision === '20260115_0300')!;
    expect(credentials.losesData.join(' ')).toMatch(/provider_credentials/);
  });

  it('puts the database first when a migration drops a column, naming the column', () => {
    const plan = planRollbackOrder([
      script(
        'drop_1',
        'op.drop_column("providers", "middle_name")',
        'op.add_column("providers", sa.Column("middle_name", sa.String(), nullable=True))',
      ),
    ]);
    expect(plan.order).toBe('database-first');
    expect(plan.steps).toEqual(['database', 'lambda']);
    expect(plan.breakingChanges).toEqual([
      expect.objectContaining({ kind: 'drop', what: 'column providers.middle_name dropped' }),
    ]);
    expect(plan.reasons[0]).toMatch(/database must go back first.*providers\.middle_name/);
  });

  it('puts the database first when a migration renames a column or sets NOT NULL', () => {
    const renamed = planRollbackOrder([
      script(
        'rename_1',
        'op.alter_column("providers", "npi", new_column_name="npi_number")',
        'op.alter_column("providers", "npi_number", new_column_name="npi")',
      ),
    ]);
    expect(renamed.order).toBe('database-first');
    expect(renamed.breakingChanges[0]).toMatchObject({ kind: 'rename' });

    const notNull = planRollbackOrder([
      script(
        'notnull_1',
        'op.alter_column("providers", "email", nullable=False)',
        'op.alter_column("providers", "email", nullable=True)',
      ),
    ]);
    expect(notNull.order).toBe('database-first');
    expect(notNull.breakingChanges[0]).toMatchObject({ kind: 'not-null' });
  });

  it('flags a downgrade that does nothing or is missing', () => {
    const plan = planRollbackOrder([
      script('noop_1', 'op.add_column("providers", sa.Column("x", sa.Text(), nullable=True))', 'pass'),
      script('missing_1', 'op.drop_column("providers", "y")', null),
    ]);
    expect(plan.downgrades.map((d) => [d.revision, d.doesNothing])).toEqual([
      ['noop_1', true],
      ['missing_1', true],
    ]);
    expect(plan.downgrades[1]!.effects.join(' ')).toMatch(/no downgrade\(\) function/);
    expect(plan.reasons.join(' ')).toMatch(/noop_1, missing_1 does nothing/);
  });
});

describe('op.add_column with Column(index=True) or unique=True', () => {
  it('counts an index, and a unique constraint, like Alembic creates them', () => {
    const indexed = script(
      'idx_1',
      'op.add_column("providers", sa.Column("npi", sa.String(10), nullable=True, index=True))',
      'op.drop_column("providers", "npi")',
    ).upgrade;
    expect(indexed.counts.indexes).toBe(1);
    expect(indexed.indexesCreated[0]).toMatchObject({ table: 'providers', columns: ['npi'], unique: false });

    const unique = script(
      'uq_1',
      'op.add_column("providers", sa.Column("npi", sa.String(10), nullable=True, unique=True))',
      'op.drop_column("providers", "npi")',
    ).upgrade;
    expect(unique.constraintsAdded[0]).toMatchObject({ kind: 'unique', columns: ['npi'] });
  });

  it('lints the index built on an existing table like any other index', () => {
    const indexed = script(
      'idx_2',
      'op.add_column("providers", sa.Column("npi", sa.String(10), nullable=True, index=True))',
      'op.drop_column("providers", "npi")',
    ).upgrade;
    const findings = lintMigration(indexed, {
      existingTables: ['providers'],
      tablesCreatedEarlierInRun: [],
      uncommittedEnumValues: [],
    });
    expect(findings.map((f) => f.ruleId)).toContain(lintRules.createIndexNotConcurrently.id);
  });
});
