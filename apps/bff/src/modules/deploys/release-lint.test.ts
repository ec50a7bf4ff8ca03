import { fileURLToPath } from 'node:url';
import { initSqlParser, judgeMigrationLint } from '@flightdeck/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintRelease } from './release-lint.js';

const fixtures = fileURLToPath(new URL('../../__fixtures__/migrations', import.meta.url));
const storyVersions = fileURLToPath(
  new URL('../../../../../packages/sandbox/alembic/versions', import.meta.url),
);

beforeAll(initSqlParser);

describe('the migration-lint item', () => {
  it('fails a release whose revisions hold an error finding, and names it', async () => {
    const reading = await lintRelease(`${fixtures}/not-null-column`, '0001', '0002');
    expect(reading.revisions).toEqual(['0002']);
    const result = judgeMigrationLint({ type: 'migration-lint' }, reading);
    expect(result.passed).toBe(false);
    expect(result.value).toMatch(/^1 revision, 1 at or above error: error [a-z-]+ in 0002:\d+: .*plan/);
  });

  it('passes the story’s release (its reserved-word fix is in place), linting only what it applies', async () => {
    const reading = await lintRelease(storyVersions, '20260115_0200', '20260131_0000');
    expect(reading.revisions).toEqual(['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000']);
    const result = judgeMigrationLint({ type: 'migration-lint' }, reading);
    expect(result).toMatchObject({ passed: true });
    expect(result.question).toContain('(20260115_0200 → 20260131_0000)');
  });

  it('says so when the target is not in the versions folder', async () => {
    const reading = await lintRelease(`${fixtures}/clean`, null, 'nope');
    expect(judgeMigrationLint({ type: 'migration-lint' }, reading)).toMatchObject({
      passed: false,
      value: 'lint could not run: the versions folder has no revision nope',
    });
  });
});
