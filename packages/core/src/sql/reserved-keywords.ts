// PostgreSQL key words that cannot be a column or table name unless double-quoted:
// the "reserved" and "reserved (can be function or type)" entries of Appendix C
// ("SQL Key Words") of the PostgreSQL documentation, as of PostgreSQL 18.

/** Appendix C: "reserved". */
// prettier-ignore
export const reservedKeywords: readonly string[] = [
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role',
  'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do',
  'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not',
  'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select',
  'session_user', 'some', 'symmetric', 'system_user', 'table', 'then', 'to', 'trailing', 'true', 'union',
  'unique', 'user', 'using', 'variadic', 'when', 'where', 'window', 'with',
];

/** Appendix C: "reserved (can be function or type)" — still not a valid column or table name. */
// prettier-ignore
export const reservedTypeOrFunctionKeywords: readonly string[] = [
  'authorization', 'binary', 'collation', 'concurrently', 'cross', 'current_schema', 'freeze', 'full',
  'ilike', 'inner', 'is', 'isnull', 'join', 'left', 'like', 'natural', 'notnull', 'outer', 'overlaps',
  'right', 'similar', 'tablesample', 'verbose',
];

const all = new Set([...reservedKeywords, ...reservedTypeOrFunctionKeywords]);

/** True when `name`, written without quotes, would be read as a key word instead of a name. */
export function isReservedKeyword(name: string): boolean {
  return all.has(name.toLowerCase());
}
