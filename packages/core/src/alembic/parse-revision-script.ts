// Reads an Alembic revision file the way Alembic does — by what the module defines
// (revision, down_revision, branch_labels, depends_on, its docstring) — but through
// a Python grammar instead of importing it, so any way of writing those values works.
import type { MigrationFinding } from '../migrations/finding.js';
import { PythonInterpreter } from '../python/python-interpreter.js';
import { childNodes, findSyntaxProblems, parsePython, type PythonModule } from '../python/python-syntax.js';
import { describeValue, evaluate, Scope, stringValue, type PyValue } from '../python/python-values.js';

export interface RevisionScript {
  file: string;
  revision: string;
  /** Parents: empty for a base, two or more for a merge. */
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  /** The docstring's first paragraph (what `alembic history` shows). */
  message: string | null;
  createDate: string | null;
}

export interface ParsedRevisionScript {
  script?: RevisionScript;
  findings: MigrationFinding[];
}

export function parseRevisionScript(file: string, source: string): ParsedRevisionScript {
  const findings: MigrationFinding[] = [];
  const module = parsePython(source);
  const problems = findSyntaxProblems(module);
  const first = problems[0];
  if (first) {
    findings.push({
      ruleId: 'python-syntax-error',
      severity: 'error',
      file,
      line: first.line,
      message: `${file} is not valid Python (line ${first.line}: ${first.message}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''}); Alembic will fail to load it.`,
      explanation:
        'Alembic imports every file in versions/ before running any migration, so one file that does not import stops every alembic command, not only this revision.',
      safeAlternative: 'Fix the file and check it with `python -m py_compile` before deploying.',
    });
  }

  const scope = new PythonInterpreter(module, { followFunctions: false }).runModule();
  const read = (name: string) => readIdentifiers(file, name, scope.get(name), findings);

  const revisionValue = scope.get('revision');
  const revision = stringValue(revisionValue);
  if (revision === null || revision.trim() === '') {
    findings.push({
      ruleId: 'missing-revision-id',
      severity: 'error',
      file,
      message:
        revisionValue === undefined
          ? `${file} does not declare a \`revision\` variable; Alembic cannot load it.`
          : `${file} sets \`revision\` to ${describeValue(revisionValue)}, not a string Alembic can use.`,
      explanation:
        'Alembic identifies every script by its module-level `revision` string; without it the command stops with "Could not determine revision id from filename".',
      safeAlternative:
        'Declare `revision = "<id>"` at the top level of the script (as `alembic revision` generates it).',
    });
    return { findings };
  }
  if (scope.get('down_revision') === undefined) {
    findings.push({
      ruleId: 'missing-down-revision-variable',
      severity: 'error',
      file,
      revision,
      message: `${file} does not declare \`down_revision\`; Alembic needs it (None for a first revision).`,
    });
  }

  const docstring = readDocstring(module);
  return {
    script: {
      file,
      revision,
      downRevisions: read('down_revision'),
      branchLabels: read('branch_labels'),
      dependsOn: read('depends_on'),
      message: docstring ? docstringMessage(docstring) : null,
      createDate: docstring ? docstringField(docstring, 'Create Date') : null,
    },
    findings,
  };
}

/** None, a string, or a tuple/list of strings — every form Alembic accepts. */
function readIdentifiers(
  file: string,
  name: string,
  value: PyValue | undefined,
  findings: MigrationFinding[],
): string[] {
  if (value === undefined || value.kind === 'none') return [];
  const single = stringValue(value);
  if (single !== null) return [single];
  if (value.kind === 'sequence') {
    const items = value.items.map((item) => stringValue(item));
    if (items.every((item): item is string => item !== null)) return items;
  }
  findings.push({
    ruleId: 'unreadable-revision-value',
    severity: 'error',
    file,
    message: `${file}: cannot read \`${name}\` = ${describeValue(value)} without running the script; it is ignored.`,
    explanation:
      'Revision identifiers should be literal strings (or None, or a tuple of strings) so that the revision graph can be read without executing code.',
  });
  return [];
}

function readDocstring(module: PythonModule): string | null {
  // Python's __doc__: only when the very first statement is a plain string literal
  const firstStatement = childNodes(module.tree.topNode)[0];
  const literal = firstStatement?.name === 'ExpressionStatement' ? childNodes(firstStatement)[0] : undefined;
  if (!literal || (literal.name !== 'String' && literal.name !== 'ContinuedString')) return null;
  return stringValue(evaluate(literal, { module, scope: new Scope() }));
}

/** Alembic's `Script.doc`: the stripped docstring up to the first blank line. */
function docstringMessage(docstring: string): string | null {
  const firstParagraph = docstring.trim().split('\n\n')[0] ?? '';
  const lines = firstParagraph
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // A script generated without -m starts straight with the header fields
  if (lines.length === 0 || lines[0]?.startsWith('Revision ID:')) return null;
  return lines.join(' ');
}

function docstringField(docstring: string, field: string): string | null {
  for (const line of docstring.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith(`${field}:`)) return trimmed.slice(field.length + 1).trim() || null;
  }
  return null;
}
