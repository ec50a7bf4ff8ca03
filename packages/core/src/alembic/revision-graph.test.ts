import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { buildRevisionGraph, isRevisionFile, readVersionsFolder } from './revision-graph.js';

const fixture = (name: string) =>
  readFixtureFolder(fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url)));

describe('readVersionsFolder: every way of writing a revision', () => {
  const graph = readVersionsFolder(fixture('forms'));

  it('loads the eight scripts and skips __init__.py and non-Python files', () => {
    expect(graph.revisions.map((r) => r.revision)).toEqual([
      '0001',
      '0002',
      '0003',
      '0004',
      '0005',
      '0006',
      '0007',
      '0008',
    ]);
    expect(graph.findings).toEqual([]);
  });

  it('computes heads, bases, merge points and branch points', () => {
    expect(graph.heads).toEqual(['0008']);
    expect(graph.bases).toEqual(['0001']);
    expect(graph.mergePoints).toEqual(['0005', '0008']);
    expect(graph.branchPoints).toEqual(['0002', '0005']);
  });

  it('orders history base first, parents and dependencies before children', () => {
    expect(graph.history).toEqual(['0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008']);
  });

  it('keeps branch labels, depends_on, messages and dates', () => {
    const byId = new Map(graph.revisions.map((r) => [r.revision, r]));
    expect(byId.get('0003')?.branchLabels).toEqual(['feature_a']);
    expect(byId.get('0004')).toMatchObject({ branchLabels: ['feature_b'], dependsOn: ['feature_a'] });
    expect(byId.get('0005')?.downRevisions).toEqual(['0003', '0004']);
    expect(byId.get('0008')?.downRevisions).toEqual(['0006', '0007']);
    expect(byId.get('0007')?.downRevisions).toEqual(['0005']);
    expect(byId.get('0002')?.message).toBe('Add account status with a message on two lines');
    expect(byId.get('0006')).toMatchObject({ message: null, createDate: '2025-12-01 08:00:00.000000' });
  });

  it('does not depend on the order files are listed in', () => {
    const reversed = readVersionsFolder([...fixture('forms')].reverse());
    expect(reversed.history).toEqual(graph.history);
  });
});

describe('readVersionsFolder: problems become findings', () => {
  it('reports two heads as an error naming both', () => {
    const graph = readVersionsFolder(fixture('two-heads'));
    expect(graph.heads).toEqual(['a1b2c3d4e5f6', 'f6e5d4c3b2a1']);
    expect(graph.branchPoints).toEqual(['0001']);
    const finding = graph.findings.find((f) => f.ruleId === 'multiple-heads');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toContain('a1b2c3d4e5f6, f6e5d4c3b2a1');
    expect(finding?.safeAlternative).toContain('alembic merge');
  });

  it('accepts several heads when each is its own labelled branch', () => {
    const graph = buildRevisionGraph([
      {
        file: 'a.py',
        revision: 'a',
        downRevisions: [],
        branchLabels: ['app'],
        dependsOn: [],
        message: null,
        createDate: null,
      },
      {
        file: 'b.py',
        revision: 'b',
        downRevisions: [],
        branchLabels: ['audit'],
        dependsOn: [],
        message: null,
        createDate: null,
      },
    ]);
    expect(graph.heads).toEqual(['a', 'b']);
    expect(graph.findings).toMatchObject([{ ruleId: 'multiple-heads', severity: 'info' }]);
  });

  it('reports a down_revision that names no file', () => {
    const graph = readVersionsFolder(fixture('missing-parent'));
    expect(graph.findings).toMatchObject([
      { ruleId: 'missing-down-revision', severity: 'error', file: '0003_orphan.py', revision: '0003' },
      { ruleId: 'multiple-heads' },
    ]);
    expect(graph.findings[0]?.message).toContain('0002');
    expect(graph.history).toEqual(['0001', '0003', '0004']);
    expect(graph.bases).toEqual(['0001']);
  });

  it('reports a cycle with its members and keeps them out of the history', () => {
    const graph = readVersionsFolder(fixture('cycle'));
    const cycle = graph.findings.find((f) => f.ruleId === 'revision-cycle');
    expect(cycle?.message).toContain('000a → 000b → 000c');
    expect(graph.history).toEqual(['0001']);
    expect(graph.revisions).toHaveLength(4);
  });

  it('reports a duplicate id with both files and keeps the first', () => {
    const graph = readVersionsFolder(fixture('duplicate'));
    expect(graph.findings).toMatchObject([
      { ruleId: 'duplicate-revision', severity: 'error', file: '0002_add_orders_copy.py', revision: '0002' },
    ]);
    expect(graph.findings[0]?.message).toContain('0002_add_orders.py');
    expect(graph.revisions.find((r) => r.revision === '0002')?.file).toBe('0002_add_orders.py');
  });

  it('reports files that cannot be read, parsed or identified, and still builds the rest', () => {
    const files = [...fixture('unreadable'), { file: '0005_locked.py', source: null, readError: 'EACCES' }];
    const graph = readVersionsFolder(files);
    expect(graph.findings.map((f) => [f.ruleId, f.file])).toEqual([
      ['python-syntax-error', '0002_broken.py'],
      ['missing-revision-id', '0003_no_revision.py'],
      ['missing-revision-id', '0004_computed_revision.py'],
      ['unreadable-script', '0005_locked.py'],
    ]);
    expect(graph.findings[3]?.message).toContain('EACCES');
    expect(graph.history).toEqual(['0001', '0002']);
  });

  it('reports an empty folder', () => {
    expect(readVersionsFolder([]).findings).toMatchObject([{ ruleId: 'no-revisions', severity: 'info' }]);
  });

  it('knows which files Alembic loads', () => {
    expect(isRevisionFile('abc_x.py')).toBe(true);
    expect(isRevisionFile('sub/abc_x.py')).toBe(true);
    expect(isRevisionFile('__init__.py')).toBe(false);
    expect(isRevisionFile('.#abc.py')).toBe(false);
    expect(isRevisionFile('abc.pyc')).toBe(false);
  });
});
