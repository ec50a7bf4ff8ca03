import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { readVersionsFolder } from '../alembic/revision-graph.js';
import { compareSchema, describeDrift, driftFindings, hasMissingObjects } from './drift.js';
import { expectedSchema } from './expected-schema.js';
import { initSqlParser, summarizeRevisionScript, summarizeSql, type MigrationSummary } from './summarize.js';

const files = readFixtureFolder(fileURLToPath(new URL('./__fixtures__/story/versions', import.meta.url)));
const graph = readVersionsFolder(files);
let summaries: MigrationSummary[];

beforeAll(async () => {
  await initSqlParser();
  summaries = graph.revisions.map((script) =>
    summarizeRevisionScript(script, files.find((f) => f.file === script.file)!.source!),
  );
});

/** information_schema of the story's production database before the deploy (at 20260115_0200). */
const beforeDeploy = {
  tables: {
    alembic_version: ['version_num'],
    organizations: ['id', 'name'],
    users: ['id', 'email', 'organization_id'],
    providers: ['id', 'organization_id', 'first_name', 'last_name', 'npi', 'middle_name'],
    licenses: ['id', 'provider_id', 'state', 'license_number', 'expiration_date'],
    coordinator_actions: ['id', 'action_type', 'created_at'],
  },
};

const providerColumns = [
  'home_address',
  'home_city',
  'home_state',
  'home_zip',
  'place_of_birth',
  'height',
  'weight',
  'gender',
  'race',
  'previous_names',
  'name_change_documents',
  'citizenship_status',
  'green_card_uscis_number',
  'employer_start_date',
  'references',
  'fcvs_fid',
  'aoa_number',
  'disclosure_notes',
  'renewal_preferences',
  'cv_reference',
];

describe('the story’s schema drift', () => {
  it('before the migrations: 3 tables and 22 columns missing, by name', () => {
    const drift = compareSchema(expectedSchema(summaries), beforeDeploy);
    expect(describeDrift(drift)).toBe('3 tables and 22 columns missing');
    expect(drift.missingTables).toEqual([
      'provider_credentials',
      'coordinator_notification_preferences',
      'payment_methods',
    ]);
    expect(drift.missingColumns).toEqual([
      ...providerColumns.map((column) => ({ table: 'providers', column })),
      { table: 'licenses', column: 'portal_pin' },
      { table: 'licenses', column: 'renewal_notes' },
    ]);
    expect(drift.extraTables).toEqual([]); // alembic_version is Alembic's, not the application's
    expect(driftFindings(drift).map((f) => [f.ruleId, f.table])).toEqual([
      ['schema-table-missing', 'provider_credentials'],
      ['schema-table-missing', 'coordinator_notification_preferences'],
      ['schema-table-missing', 'payment_methods'],
      ['schema-column-missing', 'providers'],
      ['schema-column-missing', 'licenses'],
    ]);
  });

  it('after the migrations: nothing missing', () => {
    const expected = expectedSchema(summaries);
    const afterDeploy = { tables: { ...beforeDeploy.tables, ...expected.tables } };
    const drift = compareSchema(expected, afterDeploy);
    expect(hasMissingObjects(drift)).toBe(false);
    expect(describeDrift(drift)).toBe('nothing missing');
    expect(driftFindings(drift)).toEqual([]);
  });

  it('compared with only the applied revisions, the database before the deploy has no drift', () => {
    const applied = summaries.filter((s) => ['20260101_0000', '20260115_0200'].includes(s.revision));
    expect(describeDrift(compareSchema(expectedSchema(applied), beforeDeploy))).toBe('nothing missing');
  });

  it('lists objects in the database that no migration made', () => {
    const drift = compareSchema(expectedSchema(summaries), {
      tables: {
        ...expectedSchema(summaries).tables,
        audit_log: ['id'],
        users: ['id', 'email', 'organization_id', 'legacy_flag'],
      },
    });
    expect(drift.extraTables).toEqual(['audit_log']);
    expect(drift.extraColumns).toEqual([{ table: 'users', column: 'legacy_flag' }]);
    expect(describeDrift(drift)).toBe('nothing missing; 1 table and 1 column not in the migrations');
  });
});

describe('expectedSchema', () => {
  it('replays changes in order: renames, drops and enum values', () => {
    const schema = expectedSchema([
      summarizeSql(
        'a',
        `CREATE TABLE t (a int, b int); CREATE TYPE k AS ENUM ('x');
         ALTER TABLE t RENAME COLUMN a TO aa; ALTER TABLE t ADD COLUMN c text;`,
      ),
      summarizeSql(
        'b',
        `ALTER TABLE t DROP COLUMN b; ALTER TABLE t RENAME TO u; ALTER TYPE k ADD VALUE 'y'; DROP TABLE gone;`,
      ),
    ]);
    expect(schema).toEqual({ tables: { u: ['aa', 'c'] }, enumValues: { k: ['x', 'y'] } });
  });
});
