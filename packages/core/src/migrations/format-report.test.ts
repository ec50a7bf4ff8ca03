import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { locateDatabase } from '../alembic/database-position.js';
import { readVersionsFolder } from '../alembic/revision-graph.js';
import { compareSchema } from './drift.js';
import { expectedSchema } from './expected-schema.js';
import { buildMigrationReport, formatMigrationReport, type MigrationReport } from './format-report.js';
import { lintMigrations } from './lint.js';
import { initSqlParser, summarizeRevisionScript } from './summarize.js';

const files = readFixtureFolder(fileURLToPath(new URL('./__fixtures__/story/versions', import.meta.url)));
const graph = readVersionsFolder(files);
let report: MigrationReport;

beforeAll(async () => {
  await initSqlParser();
  const summaries = graph.revisions.map((script) =>
    summarizeRevisionScript(script, files.find((f) => f.file === script.file)!.source!),
  );
  const position = locateDatabase(graph, ['20260115_0200']);
  const applied = summaries.filter((s) => position.applied.includes(s.revision));
  const pending = summaries.filter((s) => position.pending.includes(s.revision));
  const existingTables = Object.keys(expectedSchema(applied).tables);
  report = buildMigrationReport({
    graph,
    position,
    summaries: pending,
    findings: lintMigrations(pending, { existingTables }),
    drift: compareSchema(expectedSchema(summaries), { tables: expectedSchema(applied).tables }),
  });
});

describe('buildMigrationReport', () => {
  it('is a plain object that survives JSON', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('marks each revision applied, current or pending', () => {
    expect(report.revisions.map((r) => [r.revision, r.state])).toEqual([
      ['20260101_0000', 'applied'],
      ['20260115_0200', 'current'],
      ['20260115_0300', 'pending'],
      ['20260127_0100', 'pending'],
      ['7702d353e5b8', 'pending'],
      ['20260131_0000', 'pending'],
    ]);
    expect(report.totals).toEqual({ tables: 3, columns: 22, indexes: 7, enumValues: 1 });
  });

  it('lists findings errors first, with the reserved word as the one warning', () => {
    expect(report.findingCounts.error).toBe(0);
    expect(report.findings.filter((f) => f.severity === 'warning').map((f) => [f.ruleId, f.table])).toEqual([
      ['reserved-keyword-identifier', 'providers'],
    ]);
    const providerLocks = report.findings.filter(
      (f) => f.ruleId === 'lock-on-existing-table' && f.table === 'providers',
    );
    expect(providerLocks.map((f) => [f.revision, f.lock])).toEqual([
      ['20260115_0300', 'ShareRowExclusiveLock'], // the new table's foreign key to providers
      ['20260131_0000', 'AccessExclusiveLock'], // 20 ADD COLUMNs
    ]);
  });
});

describe('formatMigrationReport', () => {
  const text = () => formatMigrationReport(report);

  it('shows where the database stands and what is pending', () => {
    expect(text()).toContain('> 20260115_0200  current   add provider middle name');
    expect(text()).toContain(
      'Database: at 20260115_0200 — 4 migrations pending: 20260115_0300 → 20260127_0100 → 7702d353e5b8 → 20260131_0000',
    );
  });

  it('summarises each migration and the total', () => {
    expect(text()).toContain(
      '  20260131_0000  BlueShift provider fields and payment_methods\n    +1 table, +22 columns, +2 indexes',
    );
    expect(text()).toContain('enum values: coordinator_action_type.stage_changed');
    expect(text()).toContain('  Total: +3 tables, +22 columns, +7 indexes, +1 enum value');
  });

  it('prints findings and drift', () => {
    expect(text()).toContain('Findings: 0 errors, 1 warning,');
    expect(text()).toContain(
      'WARNING reserved-keyword-identifier  (20260131_0000, 20260131_0000_blueshift_provider_fields_and_payment_methods.py:',
    );
    expect(text()).toContain('Schema drift: 3 tables and 22 columns missing');
    expect(text()).toContain(
      'missing tables: provider_credentials, coordinator_notification_preferences, payment_methods',
    );
  });

  it('says so when the database names a revision the code does not have', () => {
    const unknown = buildMigrationReport({ graph, position: locateDatabase(graph, ['abcdef123456']) });
    const output = formatMigrationReport(unknown);
    expect(output).toContain('Database: at abcdef123456 — UNKNOWN to this code: abcdef123456');
    expect(output).toContain('ERROR   database-revision-unknown');
    // Nothing can be called pending: Alembic would refuse to upgrade from a revision it lacks.
    expect(unknown.revisions.map((r) => r.state)).not.toContain('pending');
    expect(new Set(unknown.revisions.map((r) => r.state))).toEqual(new Set(['undetermined']));
  });

  it('knows the ancestry of a known current revision even when another is unknown', () => {
    const report = buildMigrationReport({
      graph,
      position: locateDatabase(graph, ['20260115_0300', 'abcdef123456']),
    });
    const states = Object.fromEntries(report.revisions.map((r) => [r.revision, r.state]));
    expect(states['20260115_0300']).toBe('current');
    expect(states['20260115_0200']).toBe('applied');
    expect(states['20260131_0000']).toBe('undetermined');
  });
});
