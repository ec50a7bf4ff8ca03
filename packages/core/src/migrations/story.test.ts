// The story's four migrations (deployment-report.md), written as real Alembic scripts:
// the analyzer must count what the report counted, and find what the team found the hard way.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { locateDatabase } from '../alembic/database-position.js';
import { readVersionsFolder } from '../alembic/revision-graph.js';
import {
  initSqlParser,
  summarizeRevisionDowngrade,
  summarizeRevisionScript,
  type MigrationSummary,
} from './summarize.js';

const storyFolder = fileURLToPath(new URL('./__fixtures__/story/versions', import.meta.url));
const files = readFixtureFolder(storyFolder);
const graph = readVersionsFolder(files);
const storyRevisions = ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'];

let summaries: Map<string, MigrationSummary>;

beforeAll(async () => {
  await initSqlParser();
  summaries = new Map(
    graph.revisions.map((script) => [
      script.revision,
      summarizeRevisionScript(script, files.find((f) => f.file === script.file)!.source!),
    ]),
  );
});

describe('the story: revision graph and database position', () => {
  it('has one head, 20260131_0000, and a linear history', () => {
    expect(graph.findings).toEqual([]);
    expect(graph.heads).toEqual(['20260131_0000']);
    expect(graph.history).toEqual(['20260101_0000', '20260115_0200', ...storyRevisions]);
  });

  it('puts the database at 20260115_0200 with the four migrations pending, in order', () => {
    const position = locateDatabase(graph, ['20260115_0200']);
    expect(position.pending).toEqual(storyRevisions);
    expect(position.upToDate).toBe(false);
  });
});

describe('the story: what each migration does', () => {
  it('20260115_0300 creates provider_credentials with 14 columns and 4 indexes', () => {
    const summary = summaries.get('20260115_0300')!;
    expect(summary.tablesCreated.map((t) => [t.name, t.columns.length])).toEqual([
      ['provider_credentials', 14],
    ]);
    expect(summary.indexesCreated.map((i) => i.name)).toEqual([
      'ix_provider_credentials_id',
      'ix_provider_credentials_provider_id',
      'ix_provider_credentials_organization_id',
      'ix_provider_credentials_credential_type',
    ]);
    const columns = new Map(summary.tablesCreated[0]!.columns.map((c) => [c.name, c]));
    expect(columns.get('id')).toMatchObject({ type: 'INTEGER', nullable: false, primaryKey: true });
    expect(columns.get('data_source')).toMatchObject({ type: 'VARCHAR(50)', default: "'manual_entry'" });
    expect(columns.get('created_at')).toMatchObject({
      type: 'TIMESTAMP WITHOUT TIME ZONE',
      default: 'now()',
    });
    expect(columns.get('is_deleted')?.default).toBe('false');
    expect(
      summary.foreignKeys.map(
        (fk) => `${fk.columns.join()}→${fk.references?.table}(${fk.references?.onDelete ?? ''})`,
      ),
    ).toEqual([
      'provider_id→providers(CASCADE)',
      'organization_id→organizations(CASCADE)',
      'created_by_id→users()',
      'updated_by_id→users()',
    ]);
  });

  it('20260127_0100 adds enum value stage_changed outside the transaction', () => {
    const summary = summaries.get('20260127_0100')!;
    expect(summary.enumValuesAdded).toEqual([{ type: 'coordinator_action_type', value: 'stage_changed' }]);
    expect(summary.statements).toMatchObject([
      { origin: 'sql', operation: 'ALTER TYPE ADD VALUE', transactional: false },
    ]);
  });

  it('7702d353e5b8 creates coordinator_notification_preferences with 11 columns and 1 index', () => {
    const summary = summaries.get('7702d353e5b8')!;
    expect(summary.tablesCreated.map((t) => [t.name, t.columns.length])).toEqual([
      ['coordinator_notification_preferences', 11],
    ]);
    expect(summary.indexesCreated).toMatchObject([{ unique: true, columns: ['coordinator_user_id'] }]);
    const eventTypes = summary.tablesCreated[0]!.columns.find((c) => c.name === 'email_event_types');
    expect(eventTypes?.type).toBe('JSONB');
    expect(eventTypes?.default).toContain('"credential_expiring_90_days": true');
  });

  it('20260131_0000 creates payment_methods, adds 20 columns to providers and 2 to licenses', () => {
    const summary = summaries.get('20260131_0000')!;
    expect(summary.tablesCreated.map((t) => [t.name, t.columns.length])).toEqual([['payment_methods', 15]]);
    const added = summary.columnsAdded.map((c) => `${c.table}.${c.column.name}`);
    expect(added.filter((c) => c.startsWith('providers.'))).toHaveLength(20);
    expect(added.filter((c) => c.startsWith('licenses.'))).toEqual([
      'licenses.portal_pin',
      'licenses.renewal_notes',
    ]);
    expect(summary.columnsAdded.find((c) => c.column.name === 'references')?.column).toMatchObject({
      type: 'JSONB',
      nullable: true,
    });
    expect(summary.indexesCreated).toHaveLength(2);
  });

  it('adds up to the report: 3 tables, 22 columns, 7 indexes, 1 enum value', () => {
    const total = storyRevisions
      .map((revision) => summaries.get(revision)!.counts)
      .reduce((a, b) => ({
        tables: a.tables + b.tables,
        columns: a.columns + b.columns,
        indexes: a.indexes + b.indexes,
        enumValues: a.enumValues + b.enumValues,
      }));
    expect(total).toEqual({ tables: 3, columns: 22, indexes: 7, enumValues: 1 });
  });
});

describe('the story: what 20260131_0000’s downgrade() drops, read as Alembic runs it', () => {
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
  // The fixture loops over a literal tuple; the scripts the sandbox ships (and plays the story
  // with) loop over reversed(PROVIDER_COLUMNS), a module-level tuple.
  const shippedFolder = fileURLToPath(new URL('../../../sandbox/alembic/versions', import.meta.url));
  const cases = [
    ['the fixture (a literal tuple)', storyFolder],
    ['the sandbox’s shipped script (reversed(PROVIDER_COLUMNS))', shippedFolder],
  ] as const;

  it.each(cases)('%s: 22 columns (20 on providers, 2 on licenses) and payment_methods', (_, folder) => {
    const folderFiles = readFixtureFolder(folder);
    const script = readVersionsFolder(folderFiles).revisions.find((r) => r.revision === '20260131_0000')!;
    const { defined, summary } = summarizeRevisionDowngrade(
      script,
      folderFiles.find((f) => f.file === script.file)!.source!,
    );
    expect(defined).toBe(true);
    const dropped = summary.columnsDropped.map((c) => `${c.table}.${c.column}`);
    expect(dropped).toHaveLength(22);
    expect(dropped).toEqual([
      'licenses.renewal_notes',
      'licenses.portal_pin',
      ...[...providerColumns].reverse().map((column) => `providers.${column}`),
    ]);
    expect(summary.tablesDropped).toEqual(['payment_methods']);
    expect(summary.indexesDropped.map((i) => i.name)).toEqual([
      'ix_payment_methods_organization_id',
      'ix_payment_methods_provider_id',
    ]);
    // every statement is certain and understood: nothing for the reader to guess
    expect(summary.statements.filter((s) => s.problem || s.conditional)).toEqual([]);
  });
});
