// What each SQL statement does, read from PostgreSQL's own parse tree: the same
// SchemaChange vocabulary as the Alembic operations, plus transaction control so a
// caller knows which statements share a transaction.
import type { AlterTableCmd, ColumnDef, Constraint, Node } from 'libpg-query';
import { lockLevels, type LockLevel, type TableLock } from '../migrations/locks.js';
import type {
  ColumnSpec,
  ConstraintSpec,
  ForeignKeyTarget,
  SchemaChange,
  StatementProblemKind,
} from '../migrations/schema-change.js';
import { analyzedStatement, type StatementFacts } from '../migrations/statement.js';
import type { AnalyzedStatement } from '../migrations/schema-change.js';
import { replaceBindParameters, type BindParameterStyle } from './bind-parameters.js';
import { parseSqlStatements, type ParsedSqlStatement } from './pg-parser.js';
import { relationName, renderExpression, renderTypeName, stringConstants, stringsOf } from './sql-render.js';

export type TransactionControl = 'begin' | 'commit' | 'rollback' | null;

export interface SqlNodeAnalysis {
  operation: string;
  changes: SchemaChange[];
  transactionControl: TransactionControl;
  problem: { kind: StatementProblemKind; message: string } | null;
}

const onDeleteActions: Record<string, string> = {
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
  r: 'RESTRICT',
};

const serialTypes = new Set(['SERIAL', 'BIGSERIAL', 'SMALLSERIAL']);

function constraintsOf(nodes: readonly Node[] | undefined): Constraint[] {
  return (nodes ?? []).flatMap((node) => ('Constraint' in node ? [node.Constraint] : []));
}

function foreignKeyTarget(constraint: Constraint): ForeignKeyTarget {
  return {
    table: relationName(constraint.pktable),
    columns: stringsOf(constraint.pk_attrs),
    onDelete: constraint.fk_del_action ? (onDeleteActions[constraint.fk_del_action] ?? null) : null,
  };
}

function columnSpec(def: ColumnDef): ColumnSpec {
  const constraints = constraintsOf(def.constraints);
  const has = (type: Constraint['contype']) => constraints.some((c) => c.contype === type);
  const type = renderTypeName(def.typeName);
  const defaultConstraint = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
  const identity = constraints.find((c) => c.contype === 'CONSTR_IDENTITY');
  const generated = constraints.find((c) => c.contype === 'CONSTR_GENERATED');
  const foreignKey = constraints.find((c) => c.contype === 'CONSTR_FOREIGN');
  const primaryKey = has('CONSTR_PRIMARY');
  return {
    name: def.colname ?? '<unknown>',
    type,
    nullable: !(
      has('CONSTR_NOTNULL') ||
      primaryKey ||
      def.is_not_null ||
      serialTypes.has(type ?? '') ||
      identity
    ),
    // An identity or a stored generated column fills every row, like a default does
    default: identity
      ? `GENERATED ${identity.generated_when === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`
      : generated
        ? `GENERATED ALWAYS AS (${renderExpression(generated.raw_expr)}) STORED`
        : defaultConstraint
          ? renderExpression(defaultConstraint.raw_expr)
          : null,
    primaryKey,
    unique: has('CONSTR_UNIQUE'),
    references: foreignKey ? foreignKeyTarget(foreignKey) : null,
  };
}

const constraintKinds: Partial<Record<NonNullable<Constraint['contype']>, ConstraintSpec['kind']>> = {
  CONSTR_PRIMARY: 'primaryKey',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreignKey',
  CONSTR_EXCLUSION: 'exclude',
};

function constraintSpec(
  constraint: Constraint,
  table: string,
  columns: string[] = [],
): ConstraintSpec | null {
  const kind = constraint.contype ? constraintKinds[constraint.contype] : undefined;
  if (!kind) return null;
  return {
    kind,
    name: constraint.conname ?? null,
    table,
    columns:
      kind === 'foreignKey'
        ? stringsOf(constraint.fk_attrs).concat(columns)
        : stringsOf(constraint.keys).concat(columns),
    expression: kind === 'check' ? renderExpression(constraint.raw_expr) : null,
    references: kind === 'foreignKey' ? foreignKeyTarget(constraint) : null,
    notValid: constraint.skip_validation === true,
    usingIndex: constraint.indexname ?? null,
  };
}

function createTable(node: Extract<Node, { CreateStmt: unknown }>['CreateStmt']): SchemaChange {
  const table = relationName(node.relation);
  const columns: ColumnSpec[] = [];
  const constraints: ConstraintSpec[] = [];
  for (const element of node.tableElts ?? []) {
    if ('ColumnDef' in element) {
      const column = columnSpec(element.ColumnDef);
      columns.push(column);
      for (const constraint of constraintsOf(element.ColumnDef.constraints)) {
        const spec = constraintSpec(constraint, table, [column.name]);
        // Column-level PK/UNIQUE/FK already show on the ColumnSpec; keep CHECKs as constraints.
        if (spec?.kind === 'check') constraints.push(spec);
      }
    } else if ('Constraint' in element) {
      const spec = constraintSpec(element.Constraint, table);
      if (!spec) continue;
      constraints.push(spec);
      if (spec.kind === 'primaryKey') {
        for (const column of columns.filter((c) => spec.columns.includes(c.name))) {
          column.primaryKey = true;
          column.nullable = false;
        }
      }
    }
  }
  return { kind: 'createTable', table, columns, constraints, indexes: [] };
}

/** ALTER TABLE forms the docs give a weaker lock than ACCESS EXCLUSIVE. */
const alterTableLocks: Partial<Record<NonNullable<AlterTableCmd['subtype']>, LockLevel>> = {
  AT_SetStatistics: 'ShareUpdateExclusiveLock',
  AT_ClusterOn: 'ShareUpdateExclusiveLock',
  AT_DropCluster: 'ShareUpdateExclusiveLock',
  AT_SetRelOptions: 'ShareUpdateExclusiveLock',
  AT_ResetRelOptions: 'ShareUpdateExclusiveLock',
  AT_AttachPartition: 'ShareUpdateExclusiveLock',
  AT_EnableTrig: 'ShareRowExclusiveLock',
  AT_DisableTrig: 'ShareRowExclusiveLock',
  AT_EnableTrigAll: 'ShareRowExclusiveLock',
  AT_DisableTrigAll: 'ShareRowExclusiveLock',
  AT_EnableTrigUser: 'ShareRowExclusiveLock',
  AT_DisableTrigUser: 'ShareRowExclusiveLock',
};

function alterTableCommand(table: string, command: AlterTableCmd): SchemaChange {
  const column = command.name ?? '<unknown>';
  const def = command.def;
  switch (command.subtype) {
    case 'AT_AddColumn':
      if (def && 'ColumnDef' in def) return { kind: 'addColumn', table, column: columnSpec(def.ColumnDef) };
      break;
    case 'AT_DropColumn':
      return { kind: 'dropColumn', table, column };
    case 'AT_AlterColumnType':
      if (def && 'ColumnDef' in def) {
        return {
          kind: 'alterColumn',
          table,
          column,
          type: {
            from: null,
            to: renderTypeName(def.ColumnDef.typeName) ?? '<type>',
            using: def.ColumnDef.raw_default ? renderExpression(def.ColumnDef.raw_default) : null,
          },
        };
      }
      break;
    case 'AT_SetNotNull':
      return { kind: 'alterColumn', table, column, nullable: { from: null, to: false } };
    case 'AT_DropNotNull':
      return { kind: 'alterColumn', table, column, nullable: { from: null, to: true } };
    case 'AT_ColumnDefault':
      return { kind: 'alterColumn', table, column, default: { to: def ? renderExpression(def) : null } };
    case 'AT_AddConstraint': {
      const spec = def && 'Constraint' in def ? constraintSpec(def.Constraint, table) : null;
      if (spec) return { kind: 'addConstraint', constraint: spec };
      break;
    }
    case 'AT_ValidateConstraint':
      return { kind: 'validateConstraint', table, name: column };
    case 'AT_DropConstraint':
      return { kind: 'dropConstraint', table, name: column };
    default:
      break;
  }
  const subtype = command.subtype;
  return {
    kind: 'other',
    description: `ALTER TABLE ${table} ${(subtype ?? 'AT_Unknown').slice(3)}`,
    locks: [{ table, mode: (subtype && alterTableLocks[subtype]) || 'AccessExclusiveLock' }],
  };
}

function rangeVarNames(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => ('RangeVar' in node ? [relationName(node.RangeVar)] : []));
}

function dropObjectNames(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map((node) => {
    if ('List' in node)
      return stringsOf(node.List.items)
        .filter((part) => part !== 'public')
        .join('.');
    if ('TypeName' in node) return renderTypeName(node.TypeName) ?? '<unknown>';
    if ('String' in node) return node.String.sval ?? '<unknown>';
    return '<unknown>';
  });
}

function other(description: string, locks: TableLock[] = []): SchemaChange {
  return { kind: 'other', description, locks };
}

export function analyzeSqlNode(node: Node): SqlNodeAnalysis {
  const result = (
    operation: string,
    changes: SchemaChange[],
    problem: SqlNodeAnalysis['problem'] = null,
  ) => ({
    operation,
    changes,
    transactionControl: null,
    problem,
  });
  if ('CreateStmt' in node) return result('CREATE TABLE', [createTable(node.CreateStmt)]);
  if ('AlterTableStmt' in node) {
    const statement = node.AlterTableStmt;
    const table = relationName(statement.relation);
    const commands = (statement.cmds ?? []).flatMap((cmd) =>
      'AlterTableCmd' in cmd ? [cmd.AlterTableCmd] : [],
    );
    if (statement.objtype && statement.objtype !== 'OBJECT_TABLE') {
      const kind = statement.objtype.slice('OBJECT_'.length).replaceAll('_', ' ');
      return result(`ALTER ${kind}`, [other(`ALTER ${kind} ${table}`)]);
    }
    return result(
      'ALTER TABLE',
      commands.map((command) => alterTableCommand(table, command)),
    );
  }
  if ('RenameStmt' in node) {
    const statement = node.RenameStmt;
    const table = relationName(statement.relation);
    const newName = statement.newname ?? '<unknown>';
    switch (statement.renameType) {
      case 'OBJECT_TABLE':
        return result('ALTER TABLE RENAME', [{ kind: 'renameTable', table, newName }]);
      case 'OBJECT_COLUMN':
        return result('ALTER TABLE RENAME COLUMN', [
          { kind: 'renameColumn', table, column: statement.subname ?? '<unknown>', newName },
        ]);
      case 'OBJECT_TABCONSTRAINT':
        return result('ALTER TABLE RENAME CONSTRAINT', [
          other(`rename constraint ${statement.subname ?? ''} on ${table}`, [
            { table, mode: 'ShareUpdateExclusiveLock' },
          ]),
        ]);
      default:
        return result(`ALTER ${(statement.renameType ?? 'OBJECT').slice(7)} RENAME`, [
          other(`rename to ${newName}`),
        ]);
    }
  }
  if ('IndexStmt' in node) {
    const statement = node.IndexStmt;
    return result('CREATE INDEX', [
      {
        kind: 'createIndex',
        index: {
          name: statement.idxname ?? null,
          table: relationName(statement.relation),
          columns: (statement.indexParams ?? []).flatMap((param) =>
            'IndexElem' in param ? [param.IndexElem.name ?? renderExpression(param.IndexElem.expr)] : [],
          ),
          unique: statement.unique === true,
          concurrently: statement.concurrent === true,
          where: statement.whereClause ? renderExpression(statement.whereClause) : null,
        },
      },
    ]);
  }
  if ('DropStmt' in node) {
    const statement = node.DropStmt;
    const names = dropObjectNames(statement.objects);
    switch (statement.removeType) {
      case 'OBJECT_TABLE':
        return result(
          'DROP TABLE',
          names.map((table) => ({ kind: 'dropTable', table })),
        );
      case 'OBJECT_INDEX':
        return result(
          'DROP INDEX',
          names.map((name) => ({
            kind: 'dropIndex',
            name,
            table: null,
            concurrently: statement.concurrent === true,
          })),
        );
      case 'OBJECT_TYPE':
        return result(
          'DROP TYPE',
          names.map((type) => ({ kind: 'dropType', type })),
        );
      default: {
        const kind = (statement.removeType ?? 'OBJECT_UNKNOWN').slice(7).replaceAll('_', ' ');
        return result(`DROP ${kind}`, [other(`drop ${kind.toLowerCase()} ${names.join(', ')}`)]);
      }
    }
  }
  if ('AlterEnumStmt' in node) {
    const statement = node.AlterEnumStmt;
    const type = stringsOf(statement.typeName).join('.');
    if (statement.newVal !== undefined && !statement.oldVal) {
      return result('ALTER TYPE ADD VALUE', [{ kind: 'addEnumValue', type, value: statement.newVal }]);
    }
    return result('ALTER TYPE RENAME VALUE', [other(`rename value of ${type}`)]);
  }
  if ('CreateEnumStmt' in node) {
    const statement = node.CreateEnumStmt;
    return result('CREATE TYPE', [
      {
        kind: 'createEnum',
        type: stringsOf(statement.typeName).join('.'),
        values: stringsOf(statement.vals),
      },
    ]);
  }
  if ('TransactionStmt' in node) {
    const kind = node.TransactionStmt.kind;
    const control: TransactionControl =
      kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START'
        ? 'begin'
        : kind === 'TRANS_STMT_COMMIT'
          ? 'commit'
          : kind === 'TRANS_STMT_ROLLBACK'
            ? 'rollback'
            : null;
    return {
      operation: (kind ?? 'TRANS_STMT_').slice(11),
      changes: [],
      transactionControl: control,
      problem: null,
    };
  }
  if ('InsertStmt' in node) {
    return result('INSERT', [
      { kind: 'dataChange', table: relationName(node.InsertStmt.relation), verb: 'insert', filtered: true },
    ]);
  }
  if ('UpdateStmt' in node) {
    const statement = node.UpdateStmt;
    return result('UPDATE', [
      {
        kind: 'dataChange',
        table: relationName(statement.relation),
        verb: 'update',
        filtered: !!statement.whereClause,
      },
    ]);
  }
  if ('DeleteStmt' in node) {
    const statement = node.DeleteStmt;
    return result('DELETE', [
      {
        kind: 'dataChange',
        table: relationName(statement.relation),
        verb: 'delete',
        filtered: !!statement.whereClause,
      },
    ]);
  }
  if ('TruncateStmt' in node) {
    return result(
      'TRUNCATE',
      rangeVarNames(node.TruncateStmt.relations).map((table) => ({
        kind: 'dataChange',
        table,
        verb: 'truncate',
        filtered: false,
      })),
    );
  }
  if ('VariableSetStmt' in node) {
    const statement = node.VariableSetStmt;
    return result('SET', [
      {
        kind: 'setting',
        name: statement.name ?? '',
        value: (statement.args ?? []).map(renderExpression).join(', '),
      },
    ]);
  }
  if ('LockStmt' in node) {
    // PostgreSQL numbers lock modes 1-8 weakest to strongest, the order of lockLevels.
    const mode = lockLevels[(node.LockStmt.mode ?? 8) - 1] ?? 'AccessExclusiveLock';
    return result('LOCK', [
      other(
        'explicit LOCK TABLE',
        rangeVarNames(node.LockStmt.relations).map((table) => ({ table, mode })),
      ),
    ]);
  }
  if ('CreateTrigStmt' in node) {
    const table = relationName(node.CreateTrigStmt.relation);
    return result('CREATE TRIGGER', [
      other(`create trigger on ${table}`, [{ table, mode: 'ShareRowExclusiveLock' }]),
    ]);
  }
  if ('VacuumStmt' in node) {
    const tables = (node.VacuumStmt.rels ?? []).flatMap((rel) =>
      'VacuumRelation' in rel && rel.VacuumRelation.relation
        ? [relationName(rel.VacuumRelation.relation)]
        : [],
    );
    return result(node.VacuumStmt.is_vacuumcmd ? 'VACUUM' : 'ANALYZE', [
      other(
        'vacuum/analyze',
        tables.map((table) => ({ table, mode: 'ShareUpdateExclusiveLock' })),
      ),
    ]);
  }
  if ('RefreshMatViewStmt' in node) {
    const table = relationName(node.RefreshMatViewStmt.relation);
    const mode: LockLevel = node.RefreshMatViewStmt.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock';
    return result('REFRESH MATERIALIZED VIEW', [other(`refresh ${table}`, [{ table, mode }])]);
  }
  if ('DoStmt' in node) {
    return result('DO', [other('anonymous code block')], {
      kind: 'unsupported',
      message: 'A DO block runs procedural code; what it changes is not analysed.',
    });
  }
  const key = Object.keys(node)[0] ?? 'Unknown';
  const words = key
    .replace('Stmt', '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return result(words, [other(words.toLowerCase())]);
}

export interface SqlTextOptions {
  /** Whether statements start inside a transaction (true in an Alembic migration, false for a psql file). */
  inTransaction: boolean;
  /** 1-based line of the SQL's first character in its file. */
  firstLine?: number;
  conditional?: boolean;
  /** SQL from Python code carries bound parameters (`:name`, `%(name)s`); a .sql file does not. */
  bindParameters?: BindParameterStyle;
  /** 1-based line of the Python call that runs this SQL. */
  operationLine?: number;
}

/** Parses SQL whose bound parameters stand in for `$1`, showing each statement as written. */
function parseWithParameters(sql: string, style: BindParameterStyle | undefined): ParsedSqlStatement[] {
  if (!style) return parseSqlStatements(sql);
  const replaced = replaceBindParameters(sql, style);
  return parseSqlStatements(replaced.sql).map((parsed) => {
    // A statement ending in a parameter ends in its padding, which trimming dropped
    let end = parsed.offset + parsed.text.length;
    while (end < sql.length && replaced.sql[end] === ' ' && !/\s/.test(sql[end]!)) end++;
    const original = sql.slice(parsed.offset, end);
    if (parsed.node || style !== 'driver' || !original.includes('?')) return { ...parsed, text: original };
    // A qmark driver's `?` (in PostgreSQL also a JSONB operator): only when nothing else parses
    const retry = parseSqlStatements(replaceBindParameters(original, style, { qmark: true }).sql);
    return retry.length === 1 && retry[0]!.node
      ? { ...retry[0]!, offset: parsed.offset, text: original }
      : { ...parsed, text: original };
  });
}

/** Analyses every statement of a SQL text, tracking BEGIN/COMMIT. */
export function analyzeSqlText(sql: string, options: SqlTextOptions): AnalyzedStatement[] {
  let inTransaction = options.inTransaction;
  return parseWithParameters(sql, options.bindParameters).map((parsed) => {
    const line = (options.firstLine ?? 1) + countNewlines(sql, parsed.offset);
    const base: Omit<StatementFacts, 'operation' | 'changes' | 'problem'> = {
      origin: 'sql',
      ...(options.operationLine !== undefined ? { operationLine: options.operationLine } : {}),
      text: parsed.text,
      line,
      transactional: inTransaction,
      conditional: options.conditional ?? false,
      literals: [],
      unquotedReservedWords: parsed.unquotedReservedWords,
    };
    if (!parsed.node) {
      return analyzedStatement({
        ...base,
        operation: firstWord(parsed.text),
        changes: [],
        problem: { kind: 'syntax-error', message: parsed.error ?? 'syntax error' },
      });
    }
    const analysis = analyzeSqlNode(parsed.node);
    if (analysis.transactionControl === 'begin') inTransaction = true;
    if (analysis.transactionControl === 'commit' || analysis.transactionControl === 'rollback')
      inTransaction = false;
    return analyzedStatement({
      ...base,
      operation: analysis.operation,
      changes: analysis.changes,
      literals: stringConstants(parsed.node),
      problem: analysis.problem,
    });
  });
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

function firstWord(text: string): string {
  const trimmed = text.trimStart();
  let end = 0;
  while (end < trimmed.length && trimmed[end]!.trim() !== '') end++;
  return trimmed.slice(0, end).toUpperCase();
}
