import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { revisionChain, storyNames } from '../story.js';
import { revisionSql, revisionsAfter, versionsDir } from './migration-files.js';

/** What one migration changes, as a simple reading of either its Python or its SQL. */
interface Changes {
  tables: Record<string, string[]>;
  addedColumns: string[];
  indexes: string[];
  enumValues: string[];
}

/** The text inside the parentheses that open at `open`, skipping string literals. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const quote = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i = text.indexOf(quote, i + quote.length) + quote.length - 1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced parentheses');
}

function fromPython(source: string): Changes {
  const upgrade = source.slice(source.indexOf('def upgrade'), source.indexOf('def downgrade'));
  const changes: Changes = { tables: {}, addedColumns: [], indexes: [], enumValues: [] };
  for (const m of upgrade.matchAll(/op\.create_table\(/g)) {
    const args = balanced(upgrade, m.index + m[0].length - 1);
    const name = /^\s*['"](\w+)['"]/.exec(args)![1]!;
    changes.tables[name] = [...args.matchAll(/sa\.Column\(\s*['"](\w+)['"]/g)].map((c) => c[1]!);
  }
  for (const m of upgrade.matchAll(/op\.add_column\(\s*['"](\w+)['"],\s*sa\.Column\(\s*['"](\w+)['"]/g))
    changes.addedColumns.push(`${m[1]}.${m[2]}`);
  for (const m of upgrade.matchAll(/op\.create_index\(\s*(?:op\.f\()?\s*['"](\w+)['"]/g))
    changes.indexes.push(m[1]!);
  for (const m of upgrade.matchAll(/ADD VALUE '(\w+)'/g)) changes.enumValues.push(m[1]!);
  return changes;
}

function fromSql(sql: string): Changes {
  const changes: Changes = { tables: {}, addedColumns: [], indexes: [], enumValues: [] };
  for (const m of sql.matchAll(/ADD VALUE '(\w+)'/g)) changes.enumValues.push(m[1]!);
  const code = sql.replace(/--.*$/gm, '').replace(/'(?:[^']|'')*'/g, "''");
  for (const m of code.matchAll(/CREATE TABLE (\w+) \(/g)) {
    const body = balanced(code, m.index + m[0].length - 1);
    changes.tables[m[1]!] = body
      .split(',\n')
      .map((line) => line.trim())
      .filter((line) => !/^(PRIMARY KEY|FOREIGN KEY|CONSTRAINT|UNIQUE|CHECK)\b/.test(line))
      .map((line) => /^"?(\w+)"?\s/.exec(line)![1]!);
  }
  delete changes.tables.alembic_version; // Alembic's own bookkeeping, not in any script
  for (const m of code.matchAll(/ALTER TABLE (\w+) ADD COLUMN "?(\w+)"?/g))
    changes.addedColumns.push(`${m[1]}.${m[2]}`);
  for (const m of code.matchAll(/CREATE (?:UNIQUE )?INDEX (\w+) ON/g)) changes.indexes.push(m[1]!);
  return changes;
}

const scripts = readdirSync(versionsDir)
  .filter((f) => f.endsWith('.py'))
  .map((file) => {
    const source = readFileSync(join(versionsDir, file), 'utf8');
    const revision = /^revision(?:: str)? = ['"]([\w]+)['"]/m.exec(source)?.[1];
    const down = /^down_revision(?:: [^=]+)? = (?:['"]([\w]+)['"]|None)/m.exec(source);
    return { file, source, revision: revision!, downRevision: down?.[1] ?? null };
  });

describe('the shipped Alembic history', () => {
  it('is one linear chain from the base to the head, as the sandbox applies it', () => {
    expect(scripts).toHaveLength(revisionChain.length);
    let previous: string | null = null;
    for (const revision of revisionChain) {
      const script = scripts.find((s) => s.revision === revision);
      expect(script, revision).toBeDefined();
      expect(script!.downRevision).toBe(previous);
      expect(script!.source).toContain(`Revision ID: ${revision}`);
      expect(script!.source).toMatch(new RegExp(`Revises: ?${previous ?? ''}\\n`));
      expect(script!.file.startsWith(revision)).toBe(true);
      previous = revision;
    }
    expect(previous).toBe(storyNames.headRevision);
    expect(revisionsAfter(storyNames.currentRevision)).toEqual([
      '20260115_0300',
      '20260127_0100',
      '7702d353e5b8',
      '20260131_0000',
    ]);
  });

  it.each(revisionChain.map((r) => [r]))('%s: the SQL creates what the Python declares', (revision) => {
    const script = scripts.find((s) => s.revision === revision)!;
    expect(fromSql(revisionSql(revision))).toEqual(fromPython(script.source));
  });

  it('pending migrations add 3 tables, 22 columns, 7 indexes and 1 enum value, as the story says', () => {
    const pending = revisionsAfter(storyNames.currentRevision).map((r) =>
      fromPython(scripts.find((s) => s.revision === r)!.source),
    );
    const tables = pending.flatMap((c) => Object.keys(c.tables));
    expect(tables).toEqual([
      'provider_credentials',
      'coordinator_notification_preferences',
      'payment_methods',
    ]);
    expect(pending.flatMap((c) => c.addedColumns)).toHaveLength(22);
    expect(pending.flatMap((c) => c.addedColumns)).toContain('providers.references');
    expect(pending.flatMap((c) => c.indexes)).toHaveLength(7);
    expect(pending.flatMap((c) => c.enumValues)).toEqual(['stage_changed']);
    expect(pending.map((c) => c.indexes.length)).toEqual([4, 0, 1, 2]);
    const [credentials, , preferences] = pending;
    expect(credentials!.tables.provider_credentials).toHaveLength(14);
    expect(preferences!.tables.coordinator_notification_preferences).toHaveLength(11);
    expect(revisionSql('20260131_0000')).toContain('ADD COLUMN "references" JSONB');
  });
});
