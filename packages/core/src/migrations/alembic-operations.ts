// Runs a revision's upgrade() through the Python interpreter and turns each Alembic
// operation it reaches (op.create_table, op.add_column, op.execute, batch_op.…) into
// an AnalyzedStatement. SQL passed to op.execute goes to the PostgreSQL parser.
import { PythonInterpreter, type ExecutionFrame, type SkippedBranch } from '../python/python-interpreter.js';
import {
  childNodes,
  findSyntaxProblems,
  nodeText,
  parsePython,
  pythonComments,
  type PythonModule,
} from '../python/python-syntax.js';
import {
  describeValue,
  stringList,
  stringValue,
  type CallValue,
  type PyValue,
} from '../python/python-values.js';
import { analyzeSqlText } from '../sql/analyze-sql.js';
import type { MigrationFinding } from './finding.js';
import type {
  AnalyzedStatement,
  ColumnAlteration,
  ConstraintSpec,
  IndexSpec,
  SchemaChange,
} from './schema-change.js';
import {
  asSerial,
  enumTypeOf,
  foreignKeyTarget,
  readColumn,
  readTableItem,
  serverDefaultOf,
  sqlTypeOf,
} from './sqlalchemy-schema.js';
import { analyzedStatement } from './statement.js';
import { readSuppressions, type Suppression } from './suppressions.js';

export interface UpgradeReading {
  statements: AnalyzedStatement[];
  findings: MigrationFinding[];
  /** `# flightdeck: ignore …` comments of the script. */
  suppressions: Suppression[];
}

/** The dialect the migrations are analysed for: what `bind.dialect.name` is when they run. */
const analysedDialect = 'postgresql';

/**
 * `bind.dialect.name`, `op.get_context().dialect.name`, `bind.engine.name` and the URL
 * (`str(bind.engine.url)`) are known: Flightdeck analyses migrations as they run on PostgreSQL.
 */
function dialectAttribute(path: string[]): PyValue | undefined {
  const [before, last] = path.slice(-2);
  if (last === 'name' && (before === 'dialect' || before === 'engine'))
    return { kind: 'str', value: analysedDialect, dialect: true };
  if (last === 'url' && (before === 'engine' || before === 'bind' || before === 'get_bind()'))
    return { kind: 'str', value: `${analysedDialect}://`, dialect: true };
  if (last === 'drivername' && before === 'url')
    return { kind: 'str', value: analysedDialect, dialect: true };
  return undefined;
}

/** Wrappers around SQL text that leave the text as it is: text(…).bindparams(…) and the like. */
const sqlTextWrappers = new Set(['bindparams', 'columns', 'execution_options', 'params']);

function sqlTextOf(value: PyValue | undefined): string | null {
  if (
    value?.kind === 'call' &&
    value.receiver &&
    sqlTextWrappers.has(value.callee[value.callee.length - 1] ?? '')
  )
    return sqlTextOf(value.receiver);
  return stringValue(value);
}

type Arguments = Map<string, PyValue>;

interface OperationSignature {
  /** Positional parameter names of op.<name>(…). */
  op: string[];
  /** Positional parameter names of batch_op.<name>(…), which take the table from the batch. */
  batch?: string[];
}

// Alembic's operation signatures (alembic.operations.base.Operations / BatchOperations).
const signatures: Record<string, OperationSignature> = {
  create_table: { op: ['table_name'] },
  drop_table: { op: ['table_name'] },
  rename_table: { op: ['old_table_name', 'new_table_name'] },
  add_column: { op: ['table_name', 'column'], batch: ['column'] },
  drop_column: { op: ['table_name', 'column_name'], batch: ['column_name'] },
  alter_column: { op: ['table_name', 'column_name'], batch: ['column_name'] },
  create_index: { op: ['index_name', 'table_name', 'columns'], batch: ['index_name', 'columns'] },
  drop_index: { op: ['index_name', 'table_name'], batch: ['index_name'] },
  create_foreign_key: {
    op: ['constraint_name', 'source_table', 'referent_table', 'local_cols', 'remote_cols'],
    batch: ['constraint_name', 'referent_table', 'local_cols', 'remote_cols'],
  },
  create_unique_constraint: {
    op: ['constraint_name', 'table_name', 'columns'],
    batch: ['constraint_name', 'columns'],
  },
  create_primary_key: {
    op: ['constraint_name', 'table_name', 'columns'],
    batch: ['constraint_name', 'columns'],
  },
  create_check_constraint: {
    op: ['constraint_name', 'table_name', 'condition'],
    batch: ['constraint_name', 'condition'],
  },
  create_exclude_constraint: { op: ['constraint_name', 'table_name'], batch: ['constraint_name'] },
  drop_constraint: { op: ['constraint_name', 'table_name', 'type_'], batch: ['constraint_name', 'type_'] },
  execute: { op: ['sqltext'], batch: ['sqltext'] },
  bulk_insert: { op: ['table', 'rows'] },
};

/** Operations that only build values or contexts; they change nothing by themselves. */
const passiveOperations = new Set([
  'f',
  'inline_literal',
  'get_bind',
  'get_context',
  'batch_alter_table',
  'implementation_for',
  'invoke',
  'run_async',
]);

function bindArguments(call: CallValue, names: string[]): Arguments {
  const bound: Arguments = new Map();
  names.forEach((name, index) => {
    const value = call.args[index];
    if (value) bound.set(name, value);
  });
  for (const [name, value] of call.kwargs) bound.set(name, value);
  return bound;
}

function qualified(table: string, schema: PyValue | undefined): string {
  const schemaName = stringValue(schema);
  return schemaName && schemaName !== 'public' ? `${schemaName}.${table}` : table;
}

function flag(value: PyValue | undefined): boolean {
  return value?.kind === 'bool' && value.value;
}

class UnresolvedArgument extends Error {}

function requireString(bound: Arguments, name: string): string {
  const value = bound.get(name);
  const text = stringValue(value);
  if (text === null) {
    throw new UnresolvedArgument(
      value ? `${name} is ${describeValue(value)}, known only at run time` : `${name} is missing`,
    );
  }
  return text;
}

function stringsOrDescriptions(value: PyValue | undefined): string[] {
  if (!value) return [];
  const strings = stringList(value);
  if (strings) return strings;
  return value.kind === 'sequence'
    ? value.items.map((item) => stringValue(item) ?? describeValue(item))
    : [describeValue(value)];
}

interface OperationResult {
  changes: SchemaChange[];
  literals: string[];
}

function createTable(bound: Arguments, call: CallValue): OperationResult {
  const table = qualified(requireString(bound, 'table_name'), bound.get('schema'));
  const changes: SchemaChange[] = [];
  const columns = [];
  const constraints: ConstraintSpec[] = [];
  const indexes: IndexSpec[] = [];
  const literals: string[] = [];
  for (const item of call.args.slice(1)) {
    const column = readColumn(item);
    if (column) {
      columns.push(asSerial(column, true));
      literals.push(...column.literals);
      if (column.index) {
        indexes.push({
          name: `ix_${table.split('.').pop()}_${column.column.name}`,
          table,
          columns: [column.column.name],
          unique: column.column.unique,
          concurrently: false,
          where: null,
        });
      }
      if (column.enumType?.createdWithTable) {
        changes.push({ kind: 'createEnum', type: column.enumType.name, values: column.enumType.values });
      }
      continue;
    }
    const tableItem = readTableItem(item, table);
    if (tableItem && 'constraint' in tableItem) constraints.push(tableItem.constraint);
    if (tableItem && 'index' in tableItem) indexes.push(tableItem.index);
  }
  for (const primaryKey of constraints.filter((c) => c.kind === 'primaryKey')) {
    for (const column of columns.filter((c) => primaryKey.columns.includes(c.name))) {
      column.primaryKey = true;
      column.nullable = false;
    }
  }
  changes.push({ kind: 'createTable', table, columns, constraints, indexes });
  return { changes, literals };
}

function alterColumn(table: string, bound: Arguments): OperationResult {
  const column = requireString(bound, 'column_name');
  const alteration: ColumnAlteration = { table, column };
  const newType = bound.get('type_');
  if (newType) {
    alteration.type = {
      from: sqlTypeOf(bound.get('existing_type')),
      to: sqlTypeOf(newType) ?? describeValue(newType),
      using: stringValue(bound.get('postgresql_using')),
    };
  }
  const nullable = bound.get('nullable');
  if (nullable?.kind === 'bool') {
    const existing = bound.get('existing_nullable');
    alteration.nullable = { from: existing?.kind === 'bool' ? existing.value : null, to: nullable.value };
  }
  // server_default=False is Alembic's "leave it alone"; None drops the default
  const serverDefault = bound.get('server_default');
  if (serverDefault && !(serverDefault.kind === 'bool' && !serverDefault.value)) {
    alteration.default = { to: serverDefaultOf(serverDefault) };
  }
  const changes: SchemaChange[] = [];
  if (alteration.type || alteration.nullable || alteration.default)
    changes.push({ kind: 'alterColumn', ...alteration });
  const newName = stringValue(bound.get('new_column_name'));
  if (newName) changes.push({ kind: 'renameColumn', table, column, newName });
  const literals = serverDefault?.kind === 'str' ? [serverDefault.value] : [];
  return { changes, literals };
}

function constraint(
  kind: ConstraintSpec['kind'],
  table: string,
  bound: Arguments,
  extra: Partial<ConstraintSpec> = {},
): SchemaChange {
  return {
    kind: 'addConstraint',
    constraint: {
      kind,
      name: stringValue(bound.get('constraint_name')),
      table,
      columns: stringsOrDescriptions(bound.get('columns')),
      expression: null,
      references: null,
      // SQLAlchemy 2 passes postgresql_not_valid through to ADD CONSTRAINT … NOT VALID
      notValid: flag(bound.get('postgresql_not_valid')),
      usingIndex: null,
      ...extra,
    },
  };
}

function tableOfInsert(value: PyValue | undefined): string | null {
  if (!value) return null;
  if (value.kind === 'call') {
    const name = value.callee[value.callee.length - 1];
    if (name === 'table' || name === 'Table' || name === 'create_table') return stringValue(value.args[0]);
  }
  return stringValue(value);
}

/** The changes one operation makes; `table` is set for batch operations. */
function operationChanges(
  name: string,
  bound: Arguments,
  call: CallValue,
  batchTable: string | null,
): OperationResult {
  const table = () => batchTable ?? qualified(requireString(bound, 'table_name'), bound.get('schema'));
  const none: string[] = [];
  switch (name) {
    case 'create_table':
      return createTable(bound, call);
    case 'drop_table':
      return { changes: [{ kind: 'dropTable', table: table() }], literals: none };
    case 'rename_table': {
      const from = qualified(requireString(bound, 'old_table_name'), bound.get('schema'));
      return {
        changes: [{ kind: 'renameTable', table: from, newName: requireString(bound, 'new_table_name') }],
        literals: none,
      };
    }
    case 'add_column': {
      const column = readColumn(bound.get('column'));
      if (!column)
        throw new UnresolvedArgument(
          `column is ${describeValue(bound.get('column') ?? { kind: 'none' })}, not a sa.Column(...) we can read`,
        );
      // Alembic's add_column also creates what the Column asks for: index=True an index
      // (unique with unique=True), unique=True alone a unique constraint.
      const columnTable = table();
      // Added alone, the column is its table's only primary key column: "auto" applies
      const added = asSerial(column, false);
      const extra: SchemaChange[] = column.index
        ? [
            {
              kind: 'createIndex',
              index: {
                name: `ix_${columnTable.split('.').pop()}_${added.name}`,
                table: columnTable,
                columns: [added.name],
                unique: added.unique,
                concurrently: false,
                where: null,
              },
            },
          ]
        : added.unique
          ? [
              {
                kind: 'addConstraint',
                constraint: {
                  kind: 'unique',
                  name: `${columnTable.split('.').pop()}_${added.name}_key`,
                  table: columnTable,
                  columns: [added.name],
                  expression: null,
                  references: null,
                  notValid: false,
                  usingIndex: null,
                },
              },
            ]
          : [];
      return {
        changes: [{ kind: 'addColumn', table: columnTable, column: added }, ...extra],
        literals: column.literals,
      };
    }
    case 'drop_column':
      return {
        changes: [{ kind: 'dropColumn', table: table(), column: requireString(bound, 'column_name') }],
        literals: none,
      };
    case 'alter_column':
      return alterColumn(table(), bound);
    case 'create_index':
      return {
        changes: [
          {
            kind: 'createIndex',
            index: {
              name: stringValue(bound.get('index_name')),
              table: table(),
              columns: stringsOrDescriptions(bound.get('columns')),
              unique: flag(bound.get('unique')),
              concurrently: flag(bound.get('postgresql_concurrently')),
              where: stringValue(bound.get('postgresql_where')),
            },
          },
        ],
        literals: none,
      };
    case 'drop_index': {
      const indexTable = batchTable ?? stringValue(bound.get('table_name'));
      return {
        changes: [
          {
            kind: 'dropIndex',
            name: requireString(bound, 'index_name'),
            table: indexTable ? qualified(indexTable, bound.get('schema')) : null,
            concurrently: flag(bound.get('postgresql_concurrently')),
          },
        ],
        literals: none,
      };
    }
    case 'create_foreign_key': {
      const source =
        batchTable ?? qualified(requireString(bound, 'source_table'), bound.get('source_schema'));
      const referent = qualified(requireString(bound, 'referent_table'), bound.get('referent_schema'));
      const target = foreignKeyTarget(referent, bound.get('ondelete'));
      return {
        changes: [
          constraint('foreignKey', source, bound, {
            columns: stringsOrDescriptions(bound.get('local_cols')),
            references: {
              table: referent,
              columns: stringsOrDescriptions(bound.get('remote_cols')),
              onDelete: target.onDelete,
            },
          }),
        ],
        literals: none,
      };
    }
    case 'create_unique_constraint':
      return { changes: [constraint('unique', table(), bound)], literals: none };
    case 'create_primary_key':
      return { changes: [constraint('primaryKey', table(), bound)], literals: none };
    case 'create_check_constraint': {
      const condition = bound.get('condition');
      return {
        changes: [
          constraint('check', table(), bound, {
            columns: [],
            expression: condition ? (stringValue(condition) ?? describeValue(condition)) : null,
          }),
        ],
        literals: none,
      };
    }
    case 'create_exclude_constraint':
      return { changes: [constraint('exclude', table(), bound, { columns: [] })], literals: none };
    case 'drop_constraint':
      return {
        changes: [{ kind: 'dropConstraint', table: table(), name: requireString(bound, 'constraint_name') }],
        literals: none,
      };
    case 'bulk_insert': {
      const insertTable = tableOfInsert(bound.get('table'));
      if (!insertTable) throw new UnresolvedArgument('table is not a sa.table(...) we can read');
      const rows = bound.get('rows');
      const literals =
        rows?.kind === 'sequence'
          ? rows.items.flatMap((row) =>
              row.kind === 'dict'
                ? row.entries.flatMap((e) => (e.value.kind === 'str' ? [e.value.value] : []))
                : [],
            )
          : [];
      return {
        changes: [{ kind: 'dataChange', table: insertTable, verb: 'insert', filtered: true }],
        literals,
      };
    }
    default:
      return {
        changes: [{ kind: 'other', description: `op.${name}`, locks: [] }],
        literals: none,
      };
  }
}

interface CallClassification {
  kind: 'operation' | 'execute' | 'enum-create';
  name: string;
  /** Set for batch_op calls. */
  batchTable: string | null;
  label: string;
}

function classify(call: CallValue): CallClassification | null {
  const path = call.callee;
  const name = path[path.length - 1] ?? '';
  if (path.length === 2 && path[0] === 'op') {
    if (passiveOperations.has(name)) return null;
    return {
      kind: name === 'execute' ? 'execute' : 'operation',
      name,
      batchTable: null,
      label: `op.${name}`,
    };
  }
  if (path[path.length - 2] === 'batch_alter_table()' && call.receiver?.kind === 'call') {
    const receiver = call.receiver;
    const table = stringValue(receiver.args[0] ?? receiver.kwargs.get('table_name'));
    if (!table) return null;
    return {
      kind: name === 'execute' ? 'execute' : 'operation',
      name,
      batchTable: qualified(table, receiver.kwargs.get('schema')),
      label: `batch_op.${name}`,
    };
  }
  // conn = op.get_bind(); conn.execute(...)  /  op.get_context().connection.execute(...)
  if (
    (name === 'execute' || name === 'exec_driver_sql') &&
    path.some((part) => part === 'get_bind()' || part === 'connection')
  ) {
    return {
      kind: 'execute',
      name: 'execute',
      batchTable: null,
      label: `${path.slice(0, -1).join('.')}.${name}`,
    };
  }
  if (name === 'create' && call.receiver && enumTypeOf(call.receiver)) {
    return { kind: 'enum-create', name, batchTable: null, label: `${describeValue(call.receiver)}.create` };
  }
  return null;
}

export function readUpgradeOperations(file: string, revision: string, source: string): UpgradeReading {
  return readMigrationFunction(file, revision, source, 'upgrade');
}

/** What a revision's downgrade() does; `defined` is false when the script has none. */
export function readDowngradeOperations(
  file: string,
  revision: string,
  source: string,
): UpgradeReading & { defined: boolean } {
  const reading = readMigrationFunction(file, revision, source, 'downgrade');
  const defined = !reading.findings.some((f) => f.ruleId === 'no-downgrade-function');
  return { ...reading, defined };
}

function readMigrationFunction(
  file: string,
  revision: string,
  source: string,
  functionName: 'upgrade' | 'downgrade',
): UpgradeReading {
  const module = parsePython(source);
  const findings: MigrationFinding[] = [];
  const statements: AnalyzedStatement[] = [];
  let autocommitDepth = 0;

  if (findSyntaxProblems(module).length > 0) {
    findings.push({
      ruleId: 'summary-incomplete',
      severity: 'warning',
      revision,
      file,
      message: `${file} has syntax errors, so this summary may miss operations.`,
    });
  }

  const dialectBranch = (branch: SkippedBranch) => {
    const firstStatement = childNodes(branch.body).find((child) => child.name !== ':');
    const first = module.lineAt((firstStatement ?? branch.body).from);
    const last = module.lineAt(Math.max(branch.body.from, branch.body.to - 1));
    const lines = first === last ? `Line ${first} runs` : `Lines ${first}-${last} run`;
    const condition = branch.condition.replace(/\s+/g, ' ');
    findings.push({
      ruleId: 'dialect-branch-not-analysed',
      severity: 'info',
      revision,
      file,
      line: first,
      message: branch.whenTrue
        ? `${lines} only when \`${condition}\`, which is false on PostgreSQL: not analysed for PostgreSQL.`
        : `${lines} only when \`${condition}\` is false, and it is true on PostgreSQL: not analysed for PostgreSQL.`,
      explanation:
        'This branch is for another database: it never runs on PostgreSQL, so the PostgreSQL parser and the safety rules do not judge it.',
    });
  };

  const record = (call: CallValue, frame: ExecutionFrame) => {
    const classification = classify(call);
    if (!classification) return;
    statements.push(...statementsFor(module, call, classification, frame, autocommitDepth > 0));
  };

  const interpreter = new PythonInterpreter(module, {
    followFunctions: true,
    attribute: dialectAttribute,
    onSkippedBranch: dialectBranch,
    onCall: (call, frame) => {
      const name = call.callee[call.callee.length - 1];
      if (call.callee[0] === 'op' && (name === 'f' || name === 'inline_literal') && call.args[0])
        return call.args[0];
      if (frame.depth > 0) record(call, frame);
      return undefined;
    },
    enterWith: (value) => {
      if (value.kind === 'call' && value.callee[value.callee.length - 1] === 'autocommit_block') {
        autocommitDepth += 1;
        return () => {
          autocommitDepth -= 1;
        };
      }
      return undefined;
    },
  });
  interpreter.runModule();
  if (!interpreter.runFunction(functionName)) {
    findings.push({
      ruleId: `no-${functionName}-function`,
      severity: 'warning',
      revision,
      file,
      message:
        functionName === 'upgrade'
          ? `${file} has no upgrade() function; Alembic will fail when it reaches this revision.`
          : `${file} has no downgrade() function; Alembic cannot go back past this revision.`,
    });
  }
  return {
    statements: statements.map((statement, index) => ({ ...statement, index })),
    findings,
    suppressions: readSuppressions(pythonComments(module)),
  };
}

function statementsFor(
  module: PythonModule,
  call: CallValue,
  classification: CallClassification,
  frame: ExecutionFrame,
  autocommit: boolean,
): AnalyzedStatement[] {
  const text = nodeText(module, call.node);
  const line = module.lineAt(call.node.from);
  const base = {
    origin: 'alembic-op' as const,
    operation: classification.label,
    text,
    line,
    transactional: !autocommit,
    conditional: frame.conditional,
    unquotedReservedWords: [],
  };
  if (classification.kind === 'enum-create' && call.receiver) {
    const enumType = enumTypeOf(call.receiver)!;
    return [
      analyzedStatement({
        ...base,
        changes: [{ kind: 'createEnum', type: enumType.name, values: enumType.values }],
        literals: [],
        problem: null,
      }),
    ];
  }
  const signature = signatures[classification.name];
  const bound = bindArguments(
    call,
    (classification.batchTable ? signature?.batch : signature?.op) ?? signature?.op ?? [],
  );
  if (classification.kind === 'execute') {
    const sqlValue = bound.get('sqltext');
    const sql = sqlTextOf(sqlValue);
    if (sql !== null) {
      const sqlStatements = analyzeSqlText(sql, {
        inTransaction: !autocommit,
        firstLine: line,
        conditional: frame.conditional,
        bindParameters: call.callee[call.callee.length - 1] === 'exec_driver_sql' ? 'driver' : 'sqlalchemy',
        operationLine: line,
      });
      if (sqlStatements.length > 0) return sqlStatements;
    }
    const reason =
      sqlValue?.kind === 'unknown'
        ? sqlValue.reason
        : sqlValue
          ? `${describeValue(sqlValue)} is not SQL text known before run time (a computed string or a SQLAlchemy expression)`
          : 'no SQL given';
    return [
      analyzedStatement({
        ...base,
        changes: [],
        literals: [],
        problem: { kind: 'unresolved', message: `SQL not analysed: ${reason}.` },
      }),
    ];
  }
  if (call.starred) {
    return [
      analyzedStatement({
        ...base,
        changes: [],
        literals: [],
        problem: { kind: 'unresolved', message: 'arguments passed with * or ** are known only at run time.' },
      }),
    ];
  }
  try {
    const { changes, literals } = operationChanges(
      classification.name,
      bound,
      call,
      classification.batchTable,
    );
    return [analyzedStatement({ ...base, changes, literals, problem: null })];
  } catch (error) {
    if (!(error instanceof UnresolvedArgument)) throw error;
    return [
      analyzedStatement({
        ...base,
        changes: [],
        literals: [],
        problem: { kind: 'unresolved', message: `${classification.label}: ${error.message}.` },
      }),
    ];
  }
}
