// The lint's findings in the formats CI systems read: SARIF 2.1.0 (code scanning) and
// GitHub Actions workflow commands (annotations on the pull request). Suppressed findings
// are in both, marked as such: SARIF has a field for it, annotations say it in words.
import type { FindingSeverity, MigrationFinding } from './finding.js';
import { lintRules, type LintRule } from './lint-rules.js';

export interface SarifOptions {
  toolVersion: string;
  /** The rule's documentation: docs/lint-rules.md#<rule-id> as an absolute URI. */
  helpUri(ruleId: string): string;
  /** Where the finding's file is, relative to the repository root (SARIF's %SRCROOT%). */
  artifactPath(finding: MigrationFinding): string | null;
}

const sarifLevels: Record<FindingSeverity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** One catalogue entry per rule id (two rules share reserved-keyword-identifier: the SQL one is kept). */
function catalogue(): Map<string, LintRule> {
  const rules = new Map<string, LintRule>();
  for (const rule of Object.values(lintRules) as LintRule[])
    if (!rules.has(rule.id)) rules.set(rule.id, rule);
  return rules;
}

/** A SARIF 2.1.0 log: each rule with its help and documentation link, each result with file, line and level. */
export function lintSarif(findings: readonly MigrationFinding[], options: SarifOptions): object {
  const known = catalogue();
  const ruleIds = [...new Set([...known.keys(), ...findings.map((finding) => finding.ruleId)])];
  const rules = ruleIds.map((id) => {
    const rule = known.get(id);
    const example = findings.find((finding) => finding.ruleId === id);
    const title = rule?.title ?? example?.message ?? id;
    const why = rule?.explanation ?? example?.explanation ?? title;
    const instead = rule?.safeAlternative ?? example?.safeAlternative;
    return {
      id,
      name: id
        .split('-')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join(''),
      shortDescription: { text: title },
      fullDescription: { text: why },
      help: { text: instead ? `${why}\n\nInstead: ${instead}` : why },
      helpUri: options.helpUri(id),
      defaultConfiguration: { level: sarifLevels[rule?.severity ?? example?.severity ?? 'warning'] },
    };
  });
  const results = findings.map((finding) => {
    const path = options.artifactPath(finding);
    const text = [
      finding.message,
      finding.revision ? `(revision ${finding.revision})` : null,
      finding.suppressed ? `Suppressed: ${finding.suppressed.reason}` : null,
    ]
      .filter((part): part is string => part !== null)
      .join(' ');
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIds.indexOf(finding.ruleId),
      level: sarifLevels[finding.severity],
      message: { text },
      ...(path
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: path, uriBaseId: '%SRCROOT%' },
                  ...(finding.line ? { region: { startLine: finding.line } } : {}),
                },
              },
            ],
          }
        : {}),
      ...(finding.suppressed
        ? { suppressions: [{ kind: 'inSource', justification: finding.suppressed.reason }] }
        : {}),
      ...(finding.tableSize ? { properties: { tableSize: finding.tableSize } } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flightdeck-lint',
            version: options.toolVersion,
            informationUri: options.helpUri('').replace(/#$/, ''),
            rules,
          },
        },
        results,
      },
    ],
  };
}

// The escaping of the Actions toolkit: data escapes %, CR, LF; properties also : and ,
const escapeData = (text: string) =>
  text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (text: string) => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

const commands: Record<FindingSeverity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

/**
 * GitHub Actions workflow commands, one line per finding: `::error file=…,line=…,title=…::…`.
 * A suppressed finding becomes a notice that says it was suppressed and why.
 */
export function lintGithubCommands(
  findings: readonly MigrationFinding[],
  artifactPath: (finding: MigrationFinding) => string | null,
): string[] {
  return findings.map((finding) => {
    const path = artifactPath(finding);
    const command = finding.suppressed ? 'notice' : commands[finding.severity];
    const properties = [
      path ? `file=${escapeProperty(path)}` : null,
      path && finding.line ? `line=${finding.line}` : null,
      `title=${escapeProperty(finding.suppressed ? `${finding.ruleId} (suppressed)` : finding.ruleId)}`,
    ].filter((part): part is string => part !== null);
    const message = finding.suppressed
      ? `Suppressed ${finding.severity}: ${finding.message} Reason: ${finding.suppressed.reason}`
      : finding.message;
    return `::${command} ${properties.join(',')}::${escapeData(message)}`;
  });
}
