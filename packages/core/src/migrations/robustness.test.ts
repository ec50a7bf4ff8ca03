// "Never a crash": whatever half-written file sits in versions/, the analyzer answers
// with findings. Every prefix of real scripts and SQL is fed through the whole pipeline.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture, readFixtureFolder } from '../__fixtures__/read-fixture-folder.js';
import { locateDatabase } from '../alembic/database-position.js';
import { readVersionsFolder } from '../alembic/revision-graph.js';
import { lintMigration } from './lint.js';
import { initSqlParser, summarizeRevisionScript, summarizeSql } from './summarize.js';

beforeAll(initSqlParser);

const story = readFixtureFolder(fileURLToPath(new URL('./__fixtures__/story/versions', import.meta.url)));
const consolidated = readFixture(
  fileURLToPath(new URL('./__fixtures__/sql/production_migrations.sql', import.meta.url)),
);

function prefixes(text: string, step: number): string[] {
  const cuts: string[] = [];
  for (let end = 0; end <= text.length; end += step) cuts.push(text.slice(0, end));
  return cuts;
}

describe('robustness', () => {
  it('reads every prefix of every story script without throwing', () => {
    let analysed = 0;
    for (const file of story) {
      for (const source of prefixes(file.source!, 97)) {
        const graph = readVersionsFolder([{ file: file.file, source }]);
        locateDatabase(graph, ['20260115_0200']);
        for (const script of graph.revisions) {
          lintMigration(summarizeRevisionScript(script, source), { existingTables: ['providers'] });
          analysed += 1;
        }
      }
    }
    expect(analysed).toBeGreaterThan(50);
  });

  it('reads every prefix of the consolidated SQL without throwing', () => {
    for (const sql of prefixes(consolidated, 211)) {
      const summary = summarizeSql('story', sql);
      expect(Array.isArray(lintMigration(summary, { existingTables: [] }))).toBe(true);
    }
  });

  it('answers binary junk and odd Python with findings', () => {
    const junk = '\u0000\u0001\uFFFD def ((( """ \'\'\' revision = \n\t\tfrom import';
    expect(readVersionsFolder([{ file: 'junk.py', source: junk }]).findings.length).toBeGreaterThan(0);
    expect(summarizeSql('x', junk).statements[0]?.problem?.kind).toBe('syntax-error');
  });
});
