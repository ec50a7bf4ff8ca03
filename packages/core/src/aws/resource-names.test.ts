import { describe, expect, it } from 'vitest';
import {
  isValidRdsIdentifier,
  preMigrationSnapshotIdentifier,
  preMigrationSnapshotPrefix,
  restoredInstanceIdentifier,
  restoredInstancePrefix,
  restoreJobSuffix,
} from './resource-names.js';

const jobId = '3f2a9c1e-5b7d-4e21-9a0c-1d2e3f4a5b6c';

describe('restoredInstanceIdentifier', () => {
  it('names the restore <instance>-restored-<job suffix>, leading back to the job', () => {
    expect(restoredInstanceIdentifier('prod-credmate-db', jobId)).toBe('prod-credmate-db-restored-3f2a9c1e');
  });

  it('is the same for the same job and differs between jobs, even ids sharing a start', () => {
    expect(restoredInstanceIdentifier('db', jobId)).toBe(restoredInstanceIdentifier('db', jobId));
    const a = restoredInstanceIdentifier('db', 'deploy-2026-02-03-a');
    const b = restoredInstanceIdentifier('db', 'deploy-2026-02-03-b');
    expect(a).not.toBe(b);
    expect(restoreJobSuffix('deploy-2026-02-03-a')).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each([
    ['prod-credmate-db'],
    ['a'],
    ['A-Mixed-Case-Instance'],
    ['x'.repeat(63)],
    // cut at a hyphen: no "--", no trailing hyphen before -restored
    [`${'a'.repeat(36)}-${'b'.repeat(26)}`],
    // the cut ends on a hyphen, which is dropped
    [`${'a'.repeat(44)}-tail`],
  ])('gives a valid RDS identifier for %s', (instance) => {
    for (const job of [jobId, 'job-id', '', 'a--b', '💥']) {
      const name = restoredInstanceIdentifier(instance, job);
      expect(isValidRdsIdentifier(name), name).toBe(true);
      expect(name.startsWith(`${restoredInstancePrefix(instance)}-`)).toBe(true);
    }
  });

  it('keeps the whole instance name whenever it fits, so <instance>-restored-* names it exactly', () => {
    const instance = 'x'.repeat(45);
    expect(restoredInstancePrefix(instance)).toBe(`${instance}-restored`);
    expect(restoredInstanceIdentifier(instance, jobId)).toHaveLength(63);
    expect(restoredInstancePrefix('y'.repeat(63))).toBe(`${'y'.repeat(45)}-restored`);
  });
});

describe('isValidRdsIdentifier', () => {
  it('applies RDS rules: 1-63, letters, digits, hyphens, a letter first, no double or trailing hyphen', () => {
    expect(isValidRdsIdentifier('db-1')).toBe(true);
    expect(isValidRdsIdentifier('')).toBe(false);
    expect(isValidRdsIdentifier('1db')).toBe(false);
    expect(isValidRdsIdentifier('db--1')).toBe(false);
    expect(isValidRdsIdentifier('db-')).toBe(false);
    expect(isValidRdsIdentifier('db_1')).toBe(false);
    expect(isValidRdsIdentifier('d'.repeat(64))).toBe(false);
    expect(isValidRdsIdentifier('d'.repeat(64), 255)).toBe(true);
  });
});

describe('preMigrationSnapshotIdentifier', () => {
  it('names the snapshot as the story did, under <instance>-pre-migration', () => {
    const name = preMigrationSnapshotIdentifier('prod-credmate-db', '2026-02-03T06:29:34.512Z');
    expect(name).toBe('prod-credmate-db-pre-migration-20260203-062934');
    expect(name.startsWith(`${preMigrationSnapshotPrefix('prod-credmate-db')}-`)).toBe(true);
    expect(isValidRdsIdentifier(name, 255)).toBe(true);
    expect(preMigrationSnapshotIdentifier('db', new Date('2026-02-03T06:29:34Z'))).toBe(
      'db-pre-migration-20260203-062934',
    );
  });
});
