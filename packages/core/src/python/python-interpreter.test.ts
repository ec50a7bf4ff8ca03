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
