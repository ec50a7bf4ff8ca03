import { describe, expect, it } from 'vitest';
import { PythonInterpreter, type ExecutionFrame } from './python-interpreter.js';
import { parsePython, findSyntaxProblems } from './python-syntax.js';
import { describeValue, stringList, stringValue, type CallValue, type PyValue } from './python-values.js';

function runModule(source: string) {
  const interpreter = new PythonInterpreter(parsePython(source), { followFunctions: false });
  return interpreter.runModule();
}

function callsIn(source: string, functionName = 'upgrade') {
  const calls: { call: CallValue; frame: ExecutionFrame }[] = [];
  const interpreter = new PythonInterpreter(parsePython(source), {
    followFunctions: true,
    onCall: (call, frame) => {
      calls.push({ call, frame });
      return undefined;
    },
  });
  interpreter.runModule();
  calls.length = 0; // module-level calls are not part of the function
  interpreter.runFunction(functionName);
  return calls;
}

describe('PythonInterpreter: module level', () => {
  it('binds plain, annotated, chained and unpacked assignments', () => {
    const scope = runModule(`
a = "x"
b: str = 'y'
c = d = ("p", "q")
e, f = "1", 2
g: Union[str, Sequence[str], None] = ["r"]
h = "con" "caten" + "ated"
`);
    expect(stringValue(scope.get('a'))).toBe('x');
    expect(stringValue(scope.get('b'))).toBe('y');
    expect(stringList(scope.get('c'))).toEqual(['p', 'q']);
    expect(stringList(scope.get('d'))).toEqual(['p', 'q']);
    expect(stringValue(scope.get('e'))).toBe('1');
    expect(scope.get('f')).toEqual({ kind: 'number', value: 2 });
    expect(stringList(scope.get('g'))).toEqual(['r']);
    expect(stringValue(scope.get('h'))).toBe('concatenated');
  });

  it('resolves f-strings over known names and refuses the others', () => {
    const scope = runModule(`
TABLE = "providers"
ok = f"ALTER TABLE {TABLE} ADD COLUMN {{x}}"
bad = f"DROP TABLE {compute()}"
`);
    expect(stringValue(scope.get('ok'))).toBe('ALTER TABLE providers ADD COLUMN {x}');
    const bad = scope.get('bad') as PyValue;
    expect(bad.kind).toBe('unknown');
    expect(describeValue(bad)).toContain('compute()');
  });

  it('applies the str methods SQL is built with', () => {
    const scope = runModule(`
T = "providers"
a = "ALTER TABLE {} ADD COLUMN {col} text".format(T, col="x")
b = "  SELECT 1  ".strip()
c = ", ".join(["a", "b"])
d = "{0}.{0}".format("t")
e = "{x:>10}".format(x="t")
f = "%s" % T
`);
    expect(stringValue(scope.get('a'))).toBe('ALTER TABLE providers ADD COLUMN x text');
    expect(stringValue(scope.get('b'))).toBe('SELECT 1');
    expect(stringValue(scope.get('c'))).toBe('a, b');
    expect(stringValue(scope.get('d'))).toBe('t.t');
    expect(scope.get('e')?.kind).toBe('unknown');
    expect(scope.get('f')?.kind).toBe('unknown');
  });

  it('follows import aliases to the imported name', () => {
    const scope = runModule(`
import sqlalchemy as sa
from alembic import op as migration_op
from sqlalchemy.dialects import postgresql
import os.path
`);
    expect(scope.get('sa')).toEqual({ kind: 'ref', path: ['sqlalchemy'] });
    expect(scope.get('migration_op')).toEqual({ kind: 'ref', path: ['op'] });
    expect(scope.get('postgresql')).toEqual({ kind: 'ref', path: ['postgresql'] });
    expect(scope.get('os')).toEqual({ kind: 'ref', path: ['os'] });
  });

  it('reports syntax errors and Python 2 prints', () => {
    expect(findSyntaxProblems(parsePython('def upgrade(:\n    pass\n'))).not.toHaveLength(0);
    expect(findSyntaxProblems(parsePython('print "x"\n'))[0]?.message).toContain('Python 2');
    expect(findSyntaxProblems(parsePython('x = 1\n'))).toEqual([]);
  });
});

describe('PythonInterpreter: running a function', () => {
  it('sees calls in order, with keyword arguments, through with/if/for blocks', () => {
    const calls = callsIn(`
def upgrade():
    op.add_column("t", sa.Column("a", sa.Text(), nullable=True))
    if flag:
        op.drop_column("t", "b")
    for name in ["c", "d"]:
        op.drop_column("t", name)
    with op.get_context().autocommit_block():
        op.execute("SELECT 1")

def downgrade():
    op.drop_table("never")
`);
    const ops = calls.filter(
      (c) => c.call.callee[0] === 'op' && c.call.callee.length === 2 && c.call.callee[1] !== 'get_context',
    );
    expect(ops.map((c) => c.call.callee[1])).toEqual([
      'add_column',
      'drop_column',
      'drop_column',
      'drop_column',
      'execute',
    ]);
    expect(ops.map((c) => stringValue(c.call.args[1]))).toEqual([null, 'b', 'c', 'd', null]);
    expect(ops[1]?.frame.conditional).toBe(true);
    expect(ops[2]?.frame.conditional).toBe(false);
    const column = ops[0]?.call.args[1] as CallValue;
    expect(column.callee).toEqual(['sa', 'Column']);
    expect(column.kwargs.get('nullable')).toEqual({ kind: 'bool', value: true });
    expect(calls.some((c) => c.call.callee.join('.') === 'op.get_context().autocommit_block')).toBe(true);
  });

  it('follows helper functions with their arguments and return values', () => {
    const calls = callsIn(`
def _sql(table):
    return "ALTER TABLE " + table + " ADD COLUMN x int"

def _add(table, column="z"):
    op.execute(_sql(table))
    op.drop_column(table, column)

def upgrade():
    _add("providers")
`);
    expect(calls.map((c) => stringValue(c.call.args[0]))).toEqual([
      'ALTER TABLE providers ADD COLUMN x int',
      'providers',
    ]);
    expect(stringValue(calls[1]?.call.args[1])).toBe('z');
  });

  it('binds a connection from op.get_bind() so its execute() is traced back to op', () => {
    const calls = callsIn(`
def upgrade():
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE t SET a = 1"))
`);
    expect(calls.map((c) => c.call.callee.join('.'))).toContain('op.get_bind().execute');
  });
});

/** The op.drop_column(table, column) calls a function makes, as "table.column" (…? when unsure). */
function dropsIn(source: string, functionName = 'downgrade') {
  return callsIn(source, functionName)
    .filter((c) => c.call.callee.join('.') === 'op.drop_column')
    .map(
      (c) =>
        `${stringValue(c.call.args[0]) ?? '?'}.${stringValue(c.call.args[1]) ?? '?'}${c.frame.conditional ? ' (maybe)' : ''}`,
    );
}

describe('PythonInterpreter: loops over module-level constants, as Python runs them', () => {
  const columns = `COLUMNS = ("a", "b", "c")\nEXTRA = ["x"]\n`;

  it('unrolls for over a module-level tuple or list', () => {
    expect(
      dropsIn(`${columns}\ndef downgrade():\n    for c in COLUMNS:\n        op.drop_column("t", c)\n`),
    ).toEqual(['t.a', 't.b', 't.c']);
    expect(
      dropsIn(`${columns}\ndef downgrade():\n    for c in EXTRA:\n        op.drop_column("t", c)\n`),
    ).toEqual(['t.x']);
  });

  it('reads reversed(), sorted(), list(), tuple() and range() of known values', () => {
    const source = `${columns}
NAMES = ["b", "a", "B"]
def downgrade():
    for c in reversed(COLUMNS):
        op.drop_column("rev", c)
    for c in sorted(NAMES):
        op.drop_column("sorted", c)
    for c in sorted(NAMES, reverse=True):
        op.drop_column("desc", c)
    for c in list(reversed(EXTRA + ["y"])):
        op.drop_column("list", c)
    for i in range(2):
        op.drop_column("range", COLUMNS[i])
    for c in tuple(EXTRA):
        op.drop_column("tuple", c)
`;
    expect(dropsIn(source)).toEqual([
      'rev.c',
      'rev.b',
      'rev.a',
      'sorted.B',
      'sorted.a',
      'sorted.b',
      'desc.b',
      'desc.a',
      'desc.B',
      'list.y',
      'list.x',
      'range.a',
      'range.b',
      'tuple.x',
    ]);
  });

  it('evaluates list comprehensions, with conditions, nested loops and as statements', () => {
    const source = `${columns}
KEPT = [c for c in COLUMNS if c != "b"]
UPPER = [f"{c}_old" for c in KEPT]
PAIRS = [(t, c) for t in ("t1", "t2") for c in EXTRA]
def downgrade():
    for c in KEPT + UPPER:
        op.drop_column("t", c)
    for table, column in PAIRS:
        op.drop_column(table, column)
    [op.drop_column("inline", c) for c in reversed(EXTRA)]
    any(op.drop_column("generator", c) for c in COLUMNS if c in ("a", "c"))
`;
    expect(dropsIn(source)).toEqual([
      't.a',
      't.c',
      't.a_old',
      't.c_old',
      't1.x',
      't2.x',
      'inline.x',
      'generator.a',
      'generator.c',
    ]);
  });

  it('spreads * in tuples, lists, assignments and call arguments, and ** in dicts and calls', () => {
    const source = `${columns}
ALL = (*COLUMNS, "d")
MORE = [*EXTRA, *ALL]
FIRST, *REST = ALL
DROP = ("t", "z")
OPTIONS = {"table_name": "kw", "column_name": "w"}
def downgrade():
    for c in MORE:
        op.drop_column("t", c)
    for c in REST:
        op.drop_column("rest", c)
    op.drop_column("first", FIRST)
    op.drop_column(*DROP)
    op.drop_column(**OPTIONS)
`;
    const calls = callsIn(source, 'downgrade').filter((c) => c.call.callee.join('.') === 'op.drop_column');
    expect(calls.every((c) => !c.call.starred)).toBe(true);
    expect(dropsIn(source)).toEqual([
      't.x',
      't.a',
      't.b',
      't.c',
      't.d',
      'rest.b',
      'rest.c',
      'rest.d',
      'first.a',
      't.z',
      '?.?',
    ]);
    expect(calls.at(-1)?.call.kwargs.get('column_name')).toEqual({ kind: 'str', value: 'w' });
  });

  it('unpacks tuples of pairs, enumerate, zip and dict.items()', () => {
    const source = `
PAIRS = (("providers", "home_city"), ("licenses", "portal_pin"))
TABLES = ["a", "b"]
COLS = ["x", "y", "ignored-by-zip"]
BY_TABLE = {"orders": ("total", "tax"), "users": ("nick",)}
def downgrade():
    for table, column in PAIRS:
        op.drop_column(table, column)
    for i, (table, column) in enumerate(PAIRS, start=1):
        op.drop_column(table, f"{column}_{i}")
    for table, column in zip(TABLES, COLS):
        op.drop_column(table, column)
    for table, cols in BY_TABLE.items():
        for column in cols:
            op.drop_column(table, column)
`;
    expect(dropsIn(source)).toEqual([
      'providers.home_city',
      'licenses.portal_pin',
      'providers.home_city_1',
      'licenses.portal_pin_2',
      'a.x',
      'b.y',
      'orders.total',
      'orders.tax',
      'users.nick',
    ]);
  });

  it('decides an if whose condition is known per item, and keeps unknown ones conditional', () => {
    const source = `
COLUMNS = ["a", "references", "b"]
def downgrade():
    for c in COLUMNS:
        if c == "references":
            op.drop_column("quoted", c)
        elif c not in ("a",):
            op.drop_column("other", c)
        else:
            op.drop_column("first", c)
    if op.get_context().as_sql:
        op.drop_column("offline", "x")
`;
    expect(dropsIn(source)).toEqual(['first.a', 'quoted.references', 'other.b', 'offline.x (maybe)']);
  });

  it('never guesses: loops over values known only at run time run once, as code that may not run', () => {
    const source = `
def downgrade():
    for c in get_columns():
        op.drop_column("t", c)
    [op.drop_column("u", c) for c in load()]
    for c in reversed(get_columns()):
        op.drop_column("v", c)
    a, b = get_pair()
    op.drop_column(a, b)
`;
    expect(dropsIn(source)).toEqual(['t.? (maybe)', 'u.? (maybe)', 'v.? (maybe)', '?.?']);
  });

  it('keeps a rebound built-in name the script’s own', () => {
    const source = `
from helpers import reversed
def downgrade():
    for c in reversed(["a", "b"]):
        op.drop_column("t", c)
`;
    expect(dropsIn(source)).toEqual(['t.? (maybe)']);
  });
});
