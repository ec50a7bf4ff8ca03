import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { locateDatabase } from './database-position.js';
import { readVersionsFolder } from './revision-graph.js';

const graph = readVersionsFolder(
  readFixtureFolder(fileURLToPath(new URL('./__fixtures__/forms', import.meta.url))),
);

describe('locateDatabase', () => {
  it('is up to date at the head', () => {
    const position = locateDatabase(graph, ['0008']);
    expect(position).toMatchObject({
      current: ['0008'],
      pending: [],
      unknown: [],
      upToDate: true,
      findings: [],
    });
    expect(position.applied).toEqual(graph.history);
  });

  it('lists what is applied and what is pending, in upgrade order', () => {
    const position = locateDatabase(graph, ['0002']);
    expect(position.applied).toEqual(['0001', '0002']);
    expect(position.pending).toEqual(['0003', '0004', '0005', '0006', '0007', '0008']);
    expect(position.upToDate).toBe(false);
  });

  it('follows every row when the database sits on two branches', () => {
    const position = locateDatabase(graph, ['0006', '0007']);
    expect(position.applied).toEqual(['0001', '0002', '0003', '0004', '0005', '0006', '0007']);
    expect(position.pending).toEqual(['0008']);
  });

  it('counts a depends_on target as applied', () => {
    // 0004 depends on the feature_a branch (0003): Alembic applies 0003 before 0004
    expect(locateDatabase(graph, ['0004']).applied).toEqual(['0001', '0002', '0003', '0004']);
  });

  it('raises an error when the database names a revision the code does not have', () => {
    const position = locateDatabase(graph, ['0008', 'ffffdeadbeef']);
    expect(position.unknown).toEqual(['ffffdeadbeef']);
    expect(position.upToDate).toBe(false);
    expect(position.pending).toEqual([]);
    expect(position.findings).toMatchObject([
      { ruleId: 'database-revision-unknown', severity: 'error', revision: 'ffffdeadbeef' },
    ]);
    expect(position.findings[0]?.message).toContain('ahead of this code or has diverged');
  });

  it('treats an empty alembic_version as nothing applied', () => {
    const position = locateDatabase(graph, []);
    expect(position.applied).toEqual([]);
    expect(position.pending).toEqual(graph.history);
    expect(position.findings).toMatchObject([{ ruleId: 'database-not-stamped', severity: 'info' }]);
  });

  it('warns about a row that another row already includes', () => {
    const position = locateDatabase(graph, ['0008', '0002']);
    expect(position.current).toEqual(['0008', '0002']);
    expect(position.findings).toMatchObject([{ ruleId: 'redundant-version-row', revision: '0002' }]);
  });
});
