import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { MigrationFinding } from './finding.js';
import { lintGithubCommands, lintSarif } from './lint-output.js';
import { lintRules } from './lint-rules.js';

// The SARIF 2.1.0 schema as the SARIF team's own npm package ships it (draft-04 JSON Schema).
const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(
  readFileSync(
    join(
      dirname(require.resolve('@microsoft/jest-sarif/package.json')),
      'lib/schemas/sarif-2.1.0-rtm.5.json',
    ),
    'utf8',
  ),
) as object;

const findings: MigrationFinding[] = [
  {
    ruleId: 'add-column-not-null-without-default',
    severity: 'error',
    revision: '20260131_0000',
    file: '20260131_0000_add_npi.py',
    line: 24,
    table: 'providers',
    message: 'providers.npi is added NOT NULL without a default: this fails if providers has any row.',
  },
  {
    ruleId: 'create-index-not-concurrently',
    severity: 'warning',
    revision: '20260131_0000',
    file: '20260131_0000_add_npi.py',
    line: 30,
    message: 'Index ix_npi on existing table providers, 50% done: a, b',
  },
  {
    ruleId: 'drop-table',
    severity: 'warning',
    revision: '20260131_0000',
    file: '20260131_0000_add_npi.py',
    line: 41,
    message: 'Drops table legacy_notes and its data.',
    suppressed: { reason: 'emptied and unused since 2025' },
  },
  { ruleId: 'multiple-heads', severity: 'info', message: 'Two heads:\nа and b.' },
];
const path = (finding: MigrationFinding) => (finding.file ? `migrations/versions/${finding.file}` : null);

function validator() {
  // The schema's language pattern is not valid with the u flag: compile patterns as plain RegExps
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  return ajv.compile(sarifSchema);
}

describe('SARIF 2.1.0', () => {
  const log = lintSarif(findings, {
    toolVersion: '0.1.0',
    helpUri: (rule) => `https://flightdeck.example/docs/lint-rules.md#${rule}`,
    artifactPath: path,
  }) as {
    runs: {
      tool: { driver: { rules: { id: string; helpUri: string; help: { text: string } }[] } };
      results: Record<string, unknown>[];
    }[];
  };

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const validate = validator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator does reject a log that breaks the schema', () => {
    const validate = validator();
    expect(validate({ version: '2.1.0', runs: [{ results: [{ level: 'fatal', message: {} }] }] })).toBe(
      false,
    );
  });

  it('has every rule with its id, help text and a docs link to its section', () => {
    const rules = log.runs[0]!.tool.driver.rules;
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of Object.values(lintRules)) expect(ids).toContain(rule.id);
    expect(ids).toContain('multiple-heads');
    const notNull = rules.find((rule) => rule.id === 'add-column-not-null-without-default')!;
    expect(notNull.helpUri).toBe(
      'https://flightdeck.example/docs/lint-rules.md#add-column-not-null-without-default',
    );
    expect(notNull.help.text).toContain('Instead: Add the column as nullable');
  });

  it('has each result with file, line and level; a suppressed one says so', () => {
    const results = log.runs[0]!.results;
    expect(results[0]).toMatchObject({
      ruleId: 'add-column-not-null-without-default',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'migrations/versions/20260131_0000_add_npi.py' },
            region: { startLine: 24 },
          },
        },
      ],
    });
    expect(results[2]).toMatchObject({
      level: 'warning',
      suppressions: [{ kind: 'inSource', justification: 'emptied and unused since 2025' }],
    });
    expect(results[3]).toMatchObject({ level: 'note' });
    expect(results[3]).not.toHaveProperty('locations');
  });
});

describe('docs/lint-rules.md', () => {
  it('has a section for every rule, so that each SARIF docs link lands on it', () => {
    const doc = readFileSync(new URL('../../../../docs/lint-rules.md', import.meta.url), 'utf8');
    const headings = new Set([...doc.matchAll(/^### (\S+)$/gm)].map((match) => match[1]));
    const ids = [
      ...Object.values(lintRules).map((rule) => rule.id),
      'dialect-branch-not-analysed',
      'suppression-without-reason',
      'suppression-without-rule',
      'suppression-unused',
    ];
    expect(ids.filter((id) => !headings.has(id))).toEqual([]);
  });
});

describe('GitHub workflow commands', () => {
  it('one exact line per finding, escaped as the runner expects', () => {
    expect(lintGithubCommands(findings, path)).toEqual([
      '::error file=migrations/versions/20260131_0000_add_npi.py,line=24,title=add-column-not-null-without-default::providers.npi is added NOT NULL without a default: this fails if providers has any row.',
      '::warning file=migrations/versions/20260131_0000_add_npi.py,line=30,title=create-index-not-concurrently::Index ix_npi on existing table providers, 50%25 done: a, b',
      '::notice file=migrations/versions/20260131_0000_add_npi.py,line=41,title=drop-table (suppressed)::Suppressed warning: Drops table legacy_notes and its data. Reason: emptied and unused since 2025',
      '::notice title=multiple-heads::Two heads:%0Aа and b.',
    ]);
  });
});
