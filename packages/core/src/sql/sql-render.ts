// Writes small parse-tree pieces back as SQL text for people to read: column types,
// defaults, CHECK conditions, index expressions. Not a full deparser — rare node
// kinds come out as `<expression>` rather than something wrong.
import type { Node, RangeVar, TypeName } from 'libpg-query';

/** Internal type names as DDL writes them; the same vocabulary the SQLAlchemy reader produces. */
const typeNames: Record<string, string> = {
  int2: 'SMALLINT',
  int4: 'INTEGER',
  int8: 'BIGINT',
  bool: 'BOOLEAN',
  varchar: 'VARCHAR',
  bpchar: 'CHAR',
  float4: 'REAL',
  float8: 'DOUBLE PRECISION',
  numeric: 'NUMERIC',
  text: 'TEXT',
  json: 'JSON',
  jsonb: 'JSONB',
  uuid: 'UUID',
  date: 'DATE',
  bytea: 'BYTEA',
  interval: 'INTERVAL',
  serial: 'SERIAL',
  serial4: 'SERIAL',
  bigserial: 'BIGSERIAL',
  serial8: 'BIGSERIAL',
  smallserial: 'SMALLSERIAL',
  serial2: 'SMALLSERIAL',
  inet: 'INET',
  citext: 'CITEXT',
};

const timeTypes: Record<string, [string, string]> = {
  timestamp: ['TIMESTAMP', 'WITHOUT TIME ZONE'],
  timestamptz: ['TIMESTAMP', 'WITH TIME ZONE'],
  time: ['TIME', 'WITHOUT TIME ZONE'],
  timetz: ['TIME', 'WITH TIME ZONE'],
};

export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) =>
    'String' in node && node.String.sval !== undefined ? [node.String.sval] : [],
  );
}

/** Table name, schema-qualified unless it is in public. */
export function relationName(relation: RangeVar | undefined): string {
  if (!relation?.relname) return '<unknown>';
  return relation.schemaname && relation.schemaname !== 'public'
    ? `${relation.schemaname}.${relation.relname}`
    : relation.relname;
}

export function renderTypeName(typeName: TypeName | undefined): string | null {
  if (!typeName) return null;
  const names = stringsOf(typeName.names);
  const qualified = names[0] === 'pg_catalog' ? names.slice(1) : names;
  const base = qualified[qualified.length - 1];
  if (!base) return null;
  const modifiers = (typeName.typmods ?? []).map(renderExpression);
  const arrays = '[]'.repeat(typeName.arrayBounds?.length ?? 0);
  const time = qualified.length === 1 ? timeTypes[base] : undefined;
  if (time) return `${time[0]}${modifiers.length ? `(${modifiers.join(', ')})` : ''} ${time[1]}${arrays}`;
  const name = (qualified.length === 1 ? typeNames[base] : undefined) ?? qualified.join('.');
  return `${name}${modifiers.length ? `(${modifiers.join(', ')})` : ''}${arrays}`;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const valueFunctions: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'CURRENT_DATE',
  SVFOP_CURRENT_TIME: 'CURRENT_TIME',
  SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
  SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP',
  SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP',
  SVFOP_LOCALTIME: 'LOCALTIME',
  SVFOP_LOCALTIME_N: 'LOCALTIME',
  SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP',
  SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP',
  SVFOP_CURRENT_ROLE: 'CURRENT_ROLE',
  SVFOP_CURRENT_USER: 'CURRENT_USER',
  SVFOP_USER: 'USER',
  SVFOP_SESSION_USER: 'SESSION_USER',
  SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG',
  SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
};

export function renderExpression(node: Node | undefined): string {
  if (!node) return '<expression>';
  if ('A_Const' in node) {
    const constant = node.A_Const;
    if (constant.isnull) return 'NULL';
    if (constant.sval) return quoteLiteral(constant.sval.sval ?? '');
    if (constant.ival) return String(constant.ival.ival ?? 0);
    if (constant.fval) return constant.fval.fval ?? '0';
    if (constant.boolval) return constant.boolval.boolval ? 'true' : 'false';
    if (constant.bsval) return constant.bsval.bsval ?? '';
    return '0';
  }
  if ('Integer' in node) return String(node.Integer.ival ?? 0);
  if ('String' in node) return node.String.sval ?? '';
  if ('TypeCast' in node) {
    const type = renderTypeName(node.TypeCast.typeName)?.toLowerCase() ?? '<type>';
    return `${renderExpression(node.TypeCast.arg)}::${type}`;
  }
  if ('FuncCall' in node) {
    const call = node.FuncCall;
    const args = call.agg_star ? '*' : (call.args ?? []).map(renderExpression).join(', ');
    return `${stringsOf(call.funcname)
      .filter((name) => name !== 'pg_catalog')
      .join('.')}(${args})`;
  }
  if ('SQLValueFunction' in node) return valueFunctions[node.SQLValueFunction.op ?? ''] ?? '<expression>';
  if ('ColumnRef' in node) {
    return (node.ColumnRef.fields ?? [])
      .map((field) => ('A_Star' in field ? '*' : renderExpression(field)))
      .join('.');
  }
  if ('ParamRef' in node) return `$${node.ParamRef.number ?? ''}`;
  if ('List' in node) return `(${(node.List.items ?? []).map(renderExpression).join(', ')})`;
  if ('A_ArrayExpr' in node)
    return `ARRAY[${(node.A_ArrayExpr.elements ?? []).map(renderExpression).join(', ')}]`;
  if ('A_Expr' in node) {
    const expression = node.A_Expr;
    const operator = stringsOf(expression.name).join(' ');
    const left = renderExpression(expression.lexpr);
    const right = renderExpression(expression.rexpr);
    switch (expression.kind) {
      case 'AEXPR_OP':
        return expression.lexpr ? `${left} ${operator} ${right}` : `${operator}${right}`;
      case 'AEXPR_IN':
        return `${left} ${operator === '<>' ? 'NOT IN' : 'IN'} ${right}`;
      case 'AEXPR_LIKE':
        return `${left} ${operator === '!~~' ? 'NOT LIKE' : 'LIKE'} ${right}`;
      case 'AEXPR_OP_ANY':
        return `${left} ${operator} ANY (${right})`;
      case 'AEXPR_BETWEEN':
        return `${left} BETWEEN ${right.slice(1, -1).replace(', ', ' AND ')}`;
      default:
        return `${left} ${operator} ${right}`;
    }
  }
  if ('BoolExpr' in node) {
    const args = (node.BoolExpr.args ?? []).map((arg) => {
      const text = renderExpression(arg);
      return 'BoolExpr' in arg ? `(${text})` : text;
    });
    if (node.BoolExpr.boolop === 'NOT_EXPR') return `NOT ${args[0] ?? ''}`;
    return args.join(node.BoolExpr.boolop === 'OR_EXPR' ? ' OR ' : ' AND ');
  }
  if ('NullTest' in node) {
    return `${renderExpression(node.NullTest.arg)} ${node.NullTest.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL'}`;
  }
  if ('BooleanTest' in node) {
    const test = (node.BooleanTest.booltesttype ?? 'IS_TRUE').replaceAll('_', ' ');
    return `${renderExpression(node.BooleanTest.arg)} ${test}`;
  }
  return '<expression>';
}

/** Every string constant in a tree (to notice an enum value being used). */
export function stringConstants(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) stringConstants(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'A_Const' && value && typeof value === 'object' && 'sval' in value) {
        const sval = (value as { sval?: { sval?: string } }).sval?.sval;
        if (sval !== undefined) found.push(sval);
      } else stringConstants(value, found);
    }
  }
  return found;
}
