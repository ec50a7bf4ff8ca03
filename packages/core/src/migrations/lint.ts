// Migration safety lint: walks a revision's analysed statements in order, knowing
// which tables already exist (and so hold data and traffic) and what is still
// uncommitted, and reports what would hurt production, with the lock involved.
import type { LockWork, MigrationFinding } from './finding.js';
import { applySuppressions, type FindingAnchor } from './suppressions.js';
import { locksForChange } from './lock-estimate.js';
import { lockImpact, lockStrength, type LockLevel } from './locks.js';
import { lintRules, type LintRule } from './lint-rules.js';
import type { AnalyzedStatement, SchemaChange } from './schema-change.js';
import type { MigrationSummary } from './summarize.js';
import { typeChangeCost } from './type-rewrite.js';
import { isReservedKeyword } from '../sql/reserved-keywords.js';

export type { MigrationFinding } from './finding.js';

export interface EnumValue {
  type: string;
  value: string;
}

export interface LintContext {
  /** Tables that exist before this revision runs: from the target database, or the applied revisions' expected schema. */
  existingTables: readonly string[] | ReadonlySet<string>;
  /** Tables created by earlier revisions of the same upgrade run: new and empty, so building on them is harmless. */
  tablesCreatedEarlierInRun?: readonly string[] | ReadonlySet<string>;
  /** Enum values added earlier in the transaction that is still open when this revision starts. */
  uncommittedEnumValues?: readonly EnumValue[];
}

const volatileDefaults = [
  'nextval(',
  'random(',
  'gen_random_uuid(',
  'uuid_generate_v',
  'clock_timestamp(',
  'timeofday(',
  // identity and stored generated columns are computed for each existing row too
  'as identity',
  'generated always as (',
];
const serialTypes = new Set(['SERIAL', 'BIGSERIAL', 'SMALLSERIAL']);
const maxStatementLength = 400;

function clip(text: string): string {
  return text.length > maxStatementLength ? `${text.slice(0, maxStatementLength)}…` : text;
}

interface LintPass {
  findings: MigrationFinding[];
  uncommittedEnumValues: EnumValue[];
}

export function lintMigration(summary: MigrationSummary, context: LintContext): MigrationFinding[] {
  return lintPass(summary, context).findings;
}

export interface LintRunOptions {
  /** Tables in the database before the first of these revisions. */
  existingTables: readonly string[];
  /** Alembic's transaction_per_migration; by default one transaction spans the whole upgrade. */
  transactionPerMigration?: boolean;
}

/** Lints pending revisions as one `alembic upgrade` runs them, in order. */
export function lintMigrations(
  summaries: readonly MigrationSummary[],
  options: LintRunOptions,
): MigrationFinding[] {
  const findings: MigrationFinding[] = [];
  // One set for the whole run: copying a growing list per revision made long runs quadratic.
  const created = new Set<string>();
  const existingTables = new Set(options.existingTables);
  let uncommitted: EnumValue[] = [];
  for (const summary of summaries) {
    const pass = lintPass(summary, {
      existingTables,
      tablesCreatedEarlierInRun: created,
      uncommittedEnumValues: options.transactionPerMigration ? [] : uncommitted,
    });
    findings.push(...pass.findings);
    uncommitted = pass.uncommittedEnumValues;
    for (const table of summary.tablesCreated) created.add(table.name);
  }
  return findings;
}

/** A run passes its sets as they grow; a single revision may pass a list. */
function asSet(tables: readonly string[] | ReadonlySet<string>): ReadonlySet<string> {
  return tables instanceof Set ? tables : new Set(tables as readonly string[]);
}

function lintPass(summary: MigrationSummary, context: LintContext): LintPass {
  const anchored: { finding: MigrationFinding; anchor: FindingAnchor }[] = summary.findings.map(
    (finding) => ({
      finding,
      anchor: [finding.line],
    }),
  );
  const createdHere = new Set<string>();
  const givenTables = asSet(context.existingTables);
  // A table renamed here exists under its new name; the caller's set is not changed.
  const renamedHere = new Set<string>();
  const existingTables = {
    has: (table: string) => givenTables.has(table) || renamedHere.has(table),
    add: (table: string) => renamedHere.add(table),
  };
  const createdInRun = asSet(context.tablesCreatedEarlierInRun ?? []);
  // A table this revision touches without creating it must already exist.
  const isExisting = (table: string) =>
    !createdHere.has(table) && (existingTables.has(table) || !createdInRun.has(table));
  let uncommitted: EnumValue[] = [...(context.uncommittedEnumValues ?? [])];
  const lockTally = new Map<
    string,
    { mode: LockLevel; statements: number; line: number | null; anchor: FindingAnchor }
  >();
  const reservedSeen = new Set<string>();
  let lockTimeoutSet = false;

  const report = (
    rule: LintRule,
    statement: AnalyzedStatement,
    fields: {
      message: string;
      table?: string;
      lock?: LockLevel;
      severity?: MigrationFinding['severity'];
      lockWork?: LockWork;
    },
  ) => {
    const finding: MigrationFinding = {
      ruleId: rule.id,
      severity: fields.severity ?? rule.severity,
      revision: summary.revision,
      ...(summary.file ? { file: summary.file } : {}),
      ...(statement.line !== null ? { line: statement.line } : {}),
      statement: clip(statement.text),
      ...(fields.table ? { table: fields.table } : {}),
      ...(fields.lock ? { lock: fields.lock } : {}),
      message: fields.message,
      explanation: rule.explanation,
      safeAlternative: rule.safeAlternative,
      ...(fields.lockWork ? { lockWork: fields.lockWork } : {}),
    };
    anchored.push({ finding, anchor: [statement.line, statement.operationLine] });
  };
  const lockOf = (change: SchemaChange, table: string) =>
    locksForChange(change).find((lock) => lock.table === table)?.mode;

  for (const statement of summary.statements) {
    // Outside a transaction (autocommit_block, or a SQL file without BEGIN) everything before has committed.
    if (!statement.transactional || statement.operation === 'COMMIT' || statement.operation === 'ROLLBACK')
      uncommitted = [];

    if (statement.problem?.kind === 'syntax-error' && statement.unquotedReservedWords.length === 0) {
      report(lintRules.sqlSyntaxError, statement, {
        message: `PostgreSQL rejects this statement: ${statement.problem.message}.`,
      });
    } else if (statement.problem && statement.problem.kind !== 'syntax-error') {
      report(lintRules.statementNotAnalysed, statement, { message: statement.problem.message });
    }
    for (const word of statement.unquotedReservedWords) {
      report(lintRules.reservedKeywordInSql, statement, {
        message: `"${word}" is a reserved key word in PostgreSQL: unquoted, this statement fails with syntax error at or near "${word}". Write "${word}" in double quotes.`,
      });
    }
    for (const pending of uncommitted) {
      if (statement.literals.includes(pending.value)) {
        report(lintRules.enumValueUsedInSameTransaction, statement, {
          message: `Uses '${pending.value}', added to ${pending.type} earlier in the same transaction: PostgreSQL rejects it ("unsafe use of new value").`,
        });
      }
    }

    for (const change of statement.changes) {
      lintChange(change, statement);
      if (change.kind === 'createTable') createdHere.add(change.table);
      if (change.kind === 'renameTable' && isExisting(change.table)) existingTables.add(change.newName);
      if (change.kind === 'addEnumValue' && statement.transactional)
        uncommitted.push({ type: change.type, value: change.value });
      if (change.kind === 'setting' && change.name === 'lock_timeout') lockTimeoutSet = true;
    }
    for (const lock of statement.locks) {
      if (!isExisting(lock.table)) continue;
      const held = lockTally.get(lock.table);
      if (!held)
        lockTally.set(lock.table, {
          mode: lock.mode,
          statements: 1,
          line: statement.line,
          anchor: [statement.line, statement.operationLine],
        });
      else {
        held.statements += 1;
        if (lockStrength(lock.mode) > lockStrength(held.mode)) held.mode = lock.mode;
      }
    }
  }

  for (const [table, held] of [...lockTally].sort(
    (a, b) => lockStrength(b[1].mode) - lockStrength(a[1].mode),
  )) {
    if (lockStrength(held.mode) < lockStrength('ShareLock')) continue;
    anchored.push({
      anchor: held.anchor,
      finding: {
        ruleId: lintRules.lockOnExistingTable.id,
        severity: lintRules.lockOnExistingTable.severity,
        revision: summary.revision,
        ...(summary.file ? { file: summary.file } : {}),
        ...(held.line !== null ? { line: held.line } : {}),
        table,
        lock: held.mode,
        message: `Takes ${held.mode} on ${table} (${held.statements} statement${held.statements === 1 ? '' : 's'}) and holds it until the transaction commits: ${lockImpact(held.mode)}.`,
        explanation: lintRules.lockOnExistingTable.explanation,
        ...(lockTimeoutSet ? {} : { safeAlternative: lintRules.lockOnExistingTable.safeAlternative }),
      },
    });
  }
  const findings = applySuppressions(anchored, summary.suppressions ?? [], summary);
  return { findings, uncommittedEnumValues: uncommitted };

  function reservedNames(change: SchemaChange): { table: string; name: string }[] {
    switch (change.kind) {
      case 'createTable':
        return [
          { table: change.table, name: change.table },
          ...change.columns.map((c) => ({ table: change.table, name: c.name })),
        ];
      case 'addColumn':
        return [{ table: change.table, name: change.column.name }];
      case 'renameColumn':
        return [{ table: change.table, name: change.newName }];
      case 'renameTable':
        return [{ table: change.newName, name: change.newName }];
      default:
        return [];
    }
  }

  function lintChange(change: SchemaChange, statement: AnalyzedStatement): void {
    if (statement.origin === 'alembic-op') {
      for (const { table, name } of reservedNames(change)) {
        if (!isReservedKeyword(name) || reservedSeen.has(`${table}.${name}`)) continue;
        reservedSeen.add(`${table}.${name}`);
        report(lintRules.reservedKeywordInScript, statement, {
          table,
          message: `"${name}" is a reserved key word in PostgreSQL. Alembic quotes it, but hand-written SQL must write "${name}" in double quotes.`,
        });
      }
    }
    switch (change.kind) {
      case 'addColumn': {
        const { table, column } = change;
        if (!isExisting(table)) return;
        const lock = lockOf(change, table);
        const volatile =
          serialTypes.has(column.type ?? '') ||
          volatileDefaults.some((fn) => (column.default ?? '').toLowerCase().includes(fn));
        if (volatile) {
          report(lintRules.addColumnVolatileDefault, statement, {
            table,
            lock,
            lockWork: 'rewrite',
            message: `Adding ${table}.${column.name} with a per-row default (${column.default ?? column.type}) rewrites the whole table under ${lock}.`,
          });
        } else if (!column.nullable && column.default === null) {
          report(lintRules.addColumnNotNullWithoutDefault, statement, {
            table,
            lock,
            message: `${table}.${column.name} is added NOT NULL without a default: this fails if ${table} has any row.`,
          });
        }
        return;
      }
      case 'alterColumn': {
        const { table, column } = change;
        if (!isExisting(table)) return;
        const lock = lockOf(change, table);
        if (change.type) {
          const cost = typeChangeCost(change.type.from, change.type.to, change.type.using);
          const from = change.type.from ?? 'its current type';
          if (cost === 'rewrite') {
            report(lintRules.columnTypeChangeRewritesTable, statement, {
              table,
              lock,
              lockWork: 'rewrite',
              message: `Changing ${table}.${column} from ${from} to ${change.type.to} rewrites the table and its indexes under ${lock}.`,
            });
          } else if (cost === 'unknown' || cost === 'rewrite-unless-utc') {
            report(lintRules.columnTypeChangeRewritesTable, statement, {
              table,
              lock,
              severity: 'warning',
              message:
                cost === 'unknown'
                  ? `Changing ${table}.${column} to ${change.type.to} may rewrite the table under ${lock}; the old type is not stated (Alembic: existing_type=…), so it cannot be checked.`
                  : `Changing ${table}.${column} to ${change.type.to} avoids a rewrite only if the server's TimeZone is UTC; otherwise it rewrites the table under ${lock}.`,
            });
          }
        }
        if (change.nullable?.to === false && change.nullable.from !== false) {
          report(lintRules.setNotNullScansTable, statement, {
            table,
            lock,
            lockWork: 'scan',
            message: `SET NOT NULL on ${table}.${column} scans the whole table under ${lock}.`,
          });
        }
        return;
      }
      case 'createIndex': {
        const { index } = change;
        const lock = lockOf(change, index.table);
        if (index.concurrently && statement.transactional) {
          report(lintRules.concurrentlyInTransaction, statement, {
            table: index.table,
            lock,
            message:
              `CREATE INDEX CONCURRENTLY ${index.name ?? ''} runs inside a transaction and will fail.`.replace(
                '  ',
                ' ',
              ),
          });
        } else if (!index.concurrently && isExisting(index.table)) {
          report(lintRules.createIndexNotConcurrently, statement, {
            table: index.table,
            lock,
            lockWork: 'index-build',
            message: `Index ${index.name ?? '(unnamed)'} on existing table ${index.table} is built without CONCURRENTLY: writes to ${index.table} wait for the whole build (${lock}).`,
          });
        }
        return;
      }
      case 'dropIndex':
        if (change.concurrently && statement.transactional) {
          report(lintRules.concurrentlyInTransaction, statement, {
            ...(change.table ? { table: change.table } : {}),
            message: `DROP INDEX CONCURRENTLY ${change.name} runs inside a transaction and will fail.`,
          });
        }
        return;
      case 'addConstraint': {
        const { constraint } = change;
        if (!isExisting(constraint.table)) return;
        const lock = lockOf(change, constraint.table);
        const name = constraint.name ?? '(unnamed)';
        if ((constraint.kind === 'foreignKey' || constraint.kind === 'check') && !constraint.notValid) {
          const what =
            constraint.kind === 'foreignKey'
              ? `Foreign key ${name} on ${constraint.table} → ${constraint.references?.table ?? '?'}`
              : `CHECK constraint ${name} on ${constraint.table}`;
          report(lintRules.constraintWithoutNotValid, statement, {
            table: constraint.table,
            lock,
            lockWork: 'scan',
            message: `${what} is added without NOT VALID: every existing row is checked while ${lock} is held.`,
          });
        } else if (
          (constraint.kind === 'unique' || constraint.kind === 'primaryKey') &&
          !constraint.usingIndex
        ) {
          report(lintRules.uniqueConstraintBuildsIndex, statement, {
            table: constraint.table,
            lock,
            lockWork: 'index-build',
            message: `${constraint.kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} constraint ${name} on ${constraint.table} builds its index under ${lock}.`,
          });
        }
        return;
      }
      case 'dropColumn':
        if (isExisting(change.table)) {
          report(lintRules.dropColumn, statement, {
            table: change.table,
            lock: lockOf(change, change.table),
            message: `Drops ${change.table}.${change.column}: running code that still reads it fails, and a code rollback cannot restore it.`,
          });
        }
        return;
      case 'dropTable':
        if (isExisting(change.table)) {
          report(lintRules.dropTable, statement, {
            table: change.table,
            lock: lockOf(change, change.table),
            message: `Drops table ${change.table} and its data.`,
          });
        }
        return;
      case 'renameColumn':
        if (isExisting(change.table)) {
          report(lintRules.renameColumn, statement, {
            table: change.table,
            lock: lockOf(change, change.table),
            message: `Renames ${change.table}.${change.column} to ${change.newName}: code still using ${change.column} fails at once.`,
          });
        }
        return;
      case 'renameTable':
        if (isExisting(change.table)) {
          report(lintRules.renameTable, statement, {
            table: change.table,
            lock: lockOf(change, change.table),
            message: `Renames table ${change.table} to ${change.newName}: code still using ${change.table} fails at once.`,
          });
        }
        return;
      case 'dataChange':
        if (
          (change.verb === 'update' || change.verb === 'delete') &&
          !change.filtered &&
          change.table !== 'alembic_version' &&
          isExisting(change.table)
        ) {
          report(lintRules.unfilteredDataChange, statement, {
            table: change.table,
            lock: lockOf(change, change.table),
            lockWork: 'row-update',
            message: `${change.verb.toUpperCase()} of every row of ${change.table} in one statement, inside the migration.`,
          });
        }
        return;
      default:
        return;
    }
  }
}
