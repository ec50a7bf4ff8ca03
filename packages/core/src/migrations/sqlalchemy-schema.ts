// Reads SQLAlchemy schema objects as written in a migration — sa.Column, types,
// server defaults, constraints — into the same ColumnSpec/ConstraintSpec vocabulary
// the SQL analyzer produces, with PostgreSQL type names.
import {
  describeValue,
  stringList,
  stringValue,
  type CallValue,
  type PyValue,
} from '../python/python-values.js';
import type { ColumnSpec, ConstraintSpec, ForeignKeyTarget, IndexSpec } from './schema-change.js';

function lastName(value: PyValue): string | null {
  if (value.kind === 'call') return value.callee[value.callee.length - 1] ?? null;
  if (value.kind === 'ref') return value.path[value.path.length - 1] ?? null;
  return null;
}

function argument(call: CallValue | null, position: number, keyword: string): PyValue | undefined {
  return call?.kwargs.get(keyword) ?? call?.args[position];
}

function numberArgument(call: CallValue | null, position: number, keyword: string): number | null {
  const value = argument(call, position, keyword);
  return value?.kind === 'number' ? value.value : null;
}

function flag(value: PyValue | undefined): boolean | null {
  return value?.kind === 'bool' ? value.value : value?.kind === 'none' ? false : null;
}

const plainTypes: Record<string, string> = {
  Integer: 'INTEGER',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BigInteger: 'BIGINT',
  BIGINT: 'BIGINT',
  SmallInteger: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  Text: 'TEXT',
  TEXT: 'TEXT',
  UnicodeText: 'TEXT',
  Boolean: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  Date: 'DATE',
  DATE: 'DATE',
  Interval: 'INTERVAL',
  INTERVAL: 'INTERVAL',
  JSON: 'JSON',
  JSONB: 'JSONB',
  UUID: 'UUID',
  Uuid: 'UUID',
  LargeBinary: 'BYTEA',
  BYTEA: 'BYTEA',
  BLOB: 'BYTEA',
  REAL: 'REAL',
  DOUBLE_PRECISION: 'DOUBLE PRECISION',
  Double: 'DOUBLE PRECISION',
  SERIAL: 'SERIAL',
  BIGSERIAL: 'BIGSERIAL',
};

const typeNames = new Set([
  ...Object.keys(plainTypes),
  'String',
  'VARCHAR',
  'Unicode',
  'NVARCHAR',
  'CHAR',
  'NCHAR',
  'DateTime',
  'TIMESTAMP',
  'Time',
  'TIME',
  'Numeric',
  'NUMERIC',
  'DECIMAL',
  'Float',
  'FLOAT',
  'ARRAY',
  'Enum',
  'ENUM',
  'INET',
  'CIDR',
  'MACADDR',
  'TSVECTOR',
  'CITEXT',
  'MONEY',
  'HSTORE',
  'INT4RANGE',
  'TSTZRANGE',
  'DATERANGE',
  'OID',
  'BIT',
]);

/** True when the value names a SQLAlchemy type (sa.Text, sa.String(20), postgresql.JSONB(...)). */
export function isTypeValue(value: PyValue | undefined): boolean {
  const name = value ? lastName(value) : null;
  return name !== null && (typeNames.has(name) || (value?.kind === 'call' && name.endsWith('Type')));
}

export interface EnumTypeSpec {
  name: string;
  values: string[];
  /** SQLAlchemy creates the type with the table unless create_type=False. */
  createdWithTable: boolean;
}

export function enumTypeOf(value: PyValue | undefined): EnumTypeSpec | null {
  if (!value || value.kind !== 'call') return null;
  const name = lastName(value);
  if (name !== 'Enum' && name !== 'ENUM') return null;
  const typeName = stringValue(value.kwargs.get('name'));
  if (!typeName) return null;
  const values = value.args.flatMap((arg) => stringList(arg) ?? []);
  return { name: typeName, values, createdWithTable: flag(value.kwargs.get('create_type')) !== false };
}

/** A SQLAlchemy type as PostgreSQL DDL names it; null when not a type we can read. */
export function sqlTypeOf(value: PyValue | undefined): string | null {
  if (!value) return null;
  const name = lastName(value);
  if (!name) return null;
  const call = value.kind === 'call' ? value : null;
  const plain = plainTypes[name];
  if (plain) return plain;
  switch (name) {
    case 'String':
    case 'VARCHAR':
    case 'Unicode':
    case 'NVARCHAR': {
      const length = numberArgument(call, 0, 'length');
      return length === null ? 'VARCHAR' : `VARCHAR(${length})`;
    }
    case 'CHAR':
    case 'NCHAR': {
      const length = numberArgument(call, 0, 'length');
      return length === null ? 'CHAR' : `CHAR(${length})`;
    }
    case 'DateTime':
    case 'TIMESTAMP':
    case 'Time':
    case 'TIME': {
      const timezone = flag(argument(call, 0, 'timezone')) === true;
      const precision = numberArgument(call, 99, 'precision');
      const base = name === 'Time' || name === 'TIME' ? 'TIME' : 'TIMESTAMP';
      return `${base}${precision === null ? '' : `(${precision})`} ${timezone ? 'WITH' : 'WITHOUT'} TIME ZONE`;
    }
    case 'Numeric':
    case 'NUMERIC':
    case 'DECIMAL': {
      const precision = numberArgument(call, 0, 'precision');
      const scale = numberArgument(call, 1, 'scale');
      if (precision === null) return 'NUMERIC';
      return scale === null ? `NUMERIC(${precision})` : `NUMERIC(${precision}, ${scale})`;
    }
    case 'Float':
    case 'FLOAT': {
      const precision = numberArgument(call, 0, 'precision');
      return precision === null ? 'FLOAT' : `FLOAT(${precision})`;
    }
    case 'ARRAY': {
      const item = sqlTypeOf(argument(call, 0, 'item_type'));
      return item ? `${item}[]` : 'ARRAY';
    }
    case 'Enum':
    case 'ENUM':
      return enumTypeOf(value)?.name ?? 'ENUM';
    default:
      return typeNames.has(name) ? name : null;
  }
}

/** A server_default as the SQL PostgreSQL will store. */
export function serverDefaultOf(value: PyValue | undefined): string | null {
  if (!value || value.kind === 'none') return null;
  if (value.kind === 'str') return `'${value.value.replaceAll("'", "''")}'`; // SQLAlchemy quotes plain strings
  if (value.kind === 'bool') return value.value ? 'true' : 'false';
  if (value.kind === 'number') return String(value.value);
  if (value.kind === 'call') {
    const name = lastName(value);
    if (name === 'text' || name === 'literal_column' || name === 'DefaultClause')
      return stringValue(value.args[0]) ?? serverDefaultOf(value.args[0]);
    if (name === 'true' || name === 'false' || name === 'null') return name === 'null' ? 'NULL' : name;
    const funcIndex = value.callee.indexOf('func');
    if (funcIndex !== -1) {
      const args = value.args.map((arg) => serverDefaultOf(arg) ?? describeValue(arg));
      return `${value.callee.slice(funcIndex + 1).join('.')}(${args.join(', ')})`;
    }
  }
  return describeValue(value);
}

export function foreignKeyTarget(spec: string, onDelete: PyValue | undefined): ForeignKeyTarget {
  // 'users.id' or 'schema.users.id'
  const parts = spec.split('.');
  const column = parts.length > 1 ? parts.pop()! : null;
  const table = parts
    .filter((part, index) => !(index === 0 && part === 'public' && parts.length > 1))
    .join('.');
  return { table, columns: column ? [column] : [], onDelete: stringValue(onDelete)?.toUpperCase() ?? null };
}

export interface ColumnReading {
  column: ColumnSpec;
  /** Column(index=True) makes op.create_table emit a CREATE INDEX. */
  index: boolean;
  enumType: EnumTypeSpec | null;
  /** String constants the column uses (server_default values). */
  literals: string[];
  /** Column(autoincrement=…): true, false, or null when not given ("auto"). */
  autoincrement: boolean | null;
}

const serialOf: Record<string, string> = { INTEGER: 'SERIAL', BIGINT: 'BIGSERIAL', SMALLINT: 'SMALLSERIAL' };

/**
 * SQLAlchemy renders an integer primary key that autoincrements as SERIAL (BIGSERIAL…) on
 * PostgreSQL: a sequence default that fills every existing row. `explicitOnly`: only with
 * autoincrement=True (in a table of several primary key columns "auto" does not apply).
 */
export function asSerial(reading: ColumnReading, explicitOnly: boolean): ColumnSpec {
  const { column, autoincrement } = reading;
  const serial = serialOf[column.type ?? ''];
  const applies = explicitOnly ? autoincrement === true : autoincrement !== false;
  if (!serial || !column.primaryKey || !applies || column.default !== null) return column;
  return { ...column, type: serial, nullable: false };
}

/** sa.Column(name, type, *constraints, nullable=…, server_default=…, …). */
export function readColumn(value: PyValue | undefined): ColumnReading | null {
  if (!value || value.kind !== 'call' || lastName(value) !== 'Column') return null;
  const name = stringValue(value.args[0]) ?? stringValue(value.kwargs.get('name'));
  if (!name) return null;
  let typeValue = value.kwargs.get('type_');
  let references: ForeignKeyTarget | null = null;
  // sa.Identity() and sa.Sequence() give the column its values, like a server default
  let generatedDefault: string | null = null;
  for (const arg of value.args.slice(1)) {
    if (arg.kind === 'call' && lastName(arg) === 'ForeignKey') {
      const target = stringValue(arg.args[0]);
      if (target) references = foreignKeyTarget(target, arg.kwargs.get('ondelete'));
    } else if (arg.kind === 'call' && lastName(arg) === 'Identity') {
      const always = flag(arg.kwargs.get('always') ?? arg.args[0]) === true;
      generatedDefault = `GENERATED ${always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
    } else if (arg.kind === 'call' && lastName(arg) === 'Sequence') {
      const sequence = stringValue(arg.args[0] ?? arg.kwargs.get('name'));
      generatedDefault = `nextval('${sequence ?? 'sequence'}')`;
    } else if (!typeValue && isTypeValue(arg)) typeValue = arg;
  }
  const primaryKey = flag(value.kwargs.get('primary_key')) === true;
  const nullable = flag(value.kwargs.get('nullable'));
  const serverDefault = value.kwargs.get('server_default');
  return {
    column: {
      name,
      type: sqlTypeOf(typeValue),
      // SQLAlchemy's default: nullable unless part of the primary key (an identity never is)
      nullable: nullable ?? !(primaryKey || generatedDefault?.includes('IDENTITY')),
      default: serverDefaultOf(serverDefault) ?? generatedDefault,
      primaryKey,
      unique: flag(value.kwargs.get('unique')) === true,
      references,
    },
    index: flag(value.kwargs.get('index')) === true,
    enumType: enumTypeOf(typeValue),
    literals: serverDefault?.kind === 'str' ? [serverDefault.value] : [],
    autoincrement: flag(value.kwargs.get('autoincrement')),
  };
}

/** Table-level items of op.create_table besides columns. */
export function readTableItem(
  value: PyValue,
  table: string,
): { constraint: ConstraintSpec } | { index: IndexSpec } | null {
  if (value.kind !== 'call') return null;
  const name = stringValue(value.kwargs.get('name'));
  const strings = value.args.map((arg) => stringValue(arg)).filter((arg): arg is string => arg !== null);
  const base = { name, table, expression: null, references: null, notValid: false, usingIndex: null };
  switch (lastName(value)) {
    case 'PrimaryKeyConstraint':
      return { constraint: { ...base, kind: 'primaryKey', columns: strings } };
    case 'UniqueConstraint':
      return { constraint: { ...base, kind: 'unique', columns: strings } };
    case 'CheckConstraint':
      return {
        constraint: {
          ...base,
          kind: 'check',
          columns: [],
          expression: stringValue(value.args[0] ?? value.kwargs.get('sqltext')),
        },
      };
    case 'ForeignKeyConstraint': {
      const local = stringList(value.args[0] ?? value.kwargs.get('columns')) ?? [];
      const remote = stringList(value.args[1] ?? value.kwargs.get('refcolumns')) ?? [];
      const target = foreignKeyTarget(remote[0] ?? '', value.kwargs.get('ondelete'));
      target.columns = remote.map((spec) => spec.split('.').pop() ?? spec);
      return { constraint: { ...base, kind: 'foreignKey', columns: local, references: target } };
    }
    case 'Index': {
      const [indexName, ...columns] = value.args.map((arg) => stringValue(arg) ?? describeValue(arg));
      return {
        index: {
          name: indexName ?? null,
          table,
          columns,
          unique: flag(value.kwargs.get('unique')) === true,
          concurrently: false,
          where: stringValue(value.kwargs.get('postgresql_where')),
        },
      };
    }
    default:
      return null;
  }
}
