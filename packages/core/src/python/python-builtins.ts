// The built-in functions and container methods migrations loop with — reversed(COLUMNS),
// enumerate, zip, sorted, range, dict.items() — over values python-values already knows.
// Each answers only when Python's answer is certain; otherwise undefined (the caller keeps the call).
import type { CallValue, PyValue } from './python-values.js';

/** More items than this are not unrolled: no migration lists that many, a computed range might. */
export const maxKnownItems = 10_000;

/** What `for x in value` visits, in order; null when only the running program knows. */
export function iterationItems(value: PyValue | undefined): PyValue[] | null {
  if (!value) return null;
  switch (value.kind) {
    case 'sequence':
      return value.items;
    case 'dict':
      return value.entries.map((entry) => entry.key);
    case 'str':
      return [...value.value].map((char) => ({ kind: 'str', value: char }));
    default:
      return null;
  }
}

function sequence(items: PyValue[]): PyValue {
  return { kind: 'sequence', items };
}

function integer(value: PyValue | undefined): number | null {
  return value?.kind === 'number' && Number.isInteger(value.value) ? value.value : null;
}

function range(args: PyValue[]): PyValue | undefined {
  const numbers = args.map(integer);
  if (numbers.length < 1 || numbers.length > 3 || numbers.some((n) => n === null)) return undefined;
  const [start, stop, step] =
    numbers.length === 1 ? [0, numbers[0]!, 1] : [numbers[0]!, numbers[1]!, numbers[2] ?? 1];
  if (step === 0) return undefined; // ValueError in Python
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > maxKnownItems) return undefined;
  return sequence(Array.from({ length: count }, (_, i) => ({ kind: 'number', value: start + i * step })));
}

function sorted(call: CallValue): PyValue | undefined {
  const items = iterationItems(call.args[0]);
  if (!items || call.kwargs.has('key')) return undefined;
  const reverse = call.kwargs.get('reverse');
  if (reverse && reverse.kind !== 'bool') return undefined;
  // Python orders str by code point and numbers numerically; mixed kinds raise TypeError.
  let ordered: PyValue[];
  if (items.every((item) => item.kind === 'str'))
    ordered = [...items].sort((a, b) => {
      const x = [...(a as { value: string }).value].map((c) => c.codePointAt(0)!);
      const y = [...(b as { value: string }).value].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    });
  else if (items.every((item) => item.kind === 'number'))
    ordered = [...items].sort((a, b) => (a as { value: number }).value - (b as { value: number }).value);
  else return undefined;
  return sequence(reverse?.kind === 'bool' && reverse.value ? ordered.reverse() : ordered);
}

/** A call of a built-in by its bare name (the caller checks the name is not rebound in the script). */
export function builtinFunction(name: string, call: CallValue): PyValue | undefined {
  if (call.starred) return undefined;
  const first = call.args[0];
  switch (name) {
    case 'reversed': {
      const items = iterationItems(first);
      return items && first?.kind !== 'str' ? sequence([...items].reverse()) : undefined;
    }
    case 'list':
    case 'tuple': {
      if (!first) return sequence([]);
      const items = iterationItems(first);
      return items ? sequence(items) : undefined;
    }
    case 'sorted':
      return sorted(call);
    case 'enumerate': {
      const items = iterationItems(first);
      const start = call.args[1] ?? call.kwargs.get('start') ?? { kind: 'number', value: 0 };
      const offset = integer(start);
      if (!items || offset === null) return undefined;
      return sequence(items.map((item, i) => sequence([{ kind: 'number', value: offset + i }, item])));
    }
    case 'zip': {
      const columns = call.args.map(iterationItems);
      if (columns.length === 0) return sequence([]);
      if (columns.some((column) => column === null)) return undefined;
      const length = Math.min(...columns.map((column) => column!.length));
      return sequence(Array.from({ length }, (_, i) => sequence(columns.map((column) => column![i]!))));
    }
    case 'range':
      return range(call.args);
    case 'len': {
      const items = iterationItems(first);
      return items ? { kind: 'number', value: items.length } : undefined;
    }
    default:
      return undefined;
  }
}

/** dict.items() / keys() / values(), in insertion order as Python keeps it. */
export function dictMethod(
  dict: Extract<PyValue, { kind: 'dict' }>,
  method: string,
  call: CallValue,
): PyValue | undefined {
  if (call.args.length > 0 || call.kwargs.size > 0) {
    if (method === 'get' && call.args[0]) {
      const entry = findEntry(dict, call.args[0]);
      if (entry) return entry.value;
      return entry === null ? undefined : (call.args[1] ?? { kind: 'none' });
    }
    return undefined;
  }
  switch (method) {
    case 'items':
      return sequence(dict.entries.map((entry) => sequence([entry.key, entry.value])));
    case 'keys':
      return sequence(dict.entries.map((entry) => entry.key));
    case 'values':
      return sequence(dict.entries.map((entry) => entry.value));
    default:
      return undefined;
  }
}

/** The entry under key; undefined when surely absent, null when it cannot be told. */
function findEntry(
  dict: Extract<PyValue, { kind: 'dict' }>,
  key: PyValue,
): { key: PyValue; value: PyValue } | undefined | null {
  let unsure = false;
  for (const entry of dict.entries) {
    const same = pythonEquals(entry.key, key);
    if (same === true) return entry;
    if (same === null) unsure = true;
  }
  return unsure ? null : undefined;
}

/** bool(value), when Python's answer does not depend on the running program. */
export function truthiness(value: PyValue): boolean | null {
  switch (value.kind) {
    case 'str':
      return value.value.length > 0;
    case 'number':
      return value.value !== 0;
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'sequence':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
    case 'function':
      return true;
    default:
      return null;
  }
}

/** a == b over constants; null when either side is only known at run time. */
export function pythonEquals(a: PyValue, b: PyValue): boolean | null {
  const scalar = (v: PyValue) =>
    v.kind === 'str' || v.kind === 'number' || v.kind === 'bool' || v.kind === 'none';
  if (a.kind === 'sequence' && b.kind === 'sequence') {
    if (a.items.length !== b.items.length) return false;
    let unsure = false;
    for (let i = 0; i < a.items.length; i++) {
      const same = pythonEquals(a.items[i]!, b.items[i]!);
      if (same === false) return false;
      if (same === null) unsure = true;
    }
    return unsure ? null : true;
  }
  if (!scalar(a) || !scalar(b)) return null;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  // True == 1 in Python: booleans compare as numbers
  const numeric = (v: PyValue) =>
    v.kind === 'bool' ? Number(v.value) : v.kind === 'number' ? v.value : null;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null) return x === y;
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  return false;
}

/** The comparisons a condition can make between constants; null when not certain. */
export function compareValues(operator: string, left: PyValue, right: PyValue): boolean | null {
  switch (operator) {
    case '==':
      return pythonEquals(left, right);
    case '!=': {
      const same = pythonEquals(left, right);
      return same === null ? null : !same;
    }
    case 'is':
    case 'is not': {
      // only `x is None` is a question of value; identity of other objects is the runtime's
      if (left.kind !== 'none' && right.kind !== 'none') return null;
      const other = left.kind === 'none' ? right : left;
      const known = truthiness(other) !== null || other.kind === 'none';
      if (!known) return null;
      const isNone = other.kind === 'none';
      return operator === 'is' ? isNone : !isNone;
    }
    case 'in':
    case 'not in': {
      let found: boolean | null;
      if (left.kind === 'str' && right.kind === 'str') found = right.value.includes(left.value);
      else {
        const items = right.kind === 'str' ? null : iterationItems(right);
        if (!items) return null;
        found = false;
        for (const item of items) {
          const same = pythonEquals(left, item);
          if (same === true) {
            found = true;
            break;
          }
          if (same === null) found = null;
        }
      }
      return found === null ? null : operator === 'in' ? found : !found;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const bothNumbers = left.kind === 'number' && right.kind === 'number';
      const bothStrings = left.kind === 'str' && right.kind === 'str';
      if (!bothNumbers && !bothStrings) return null;
      const a = left.value as number | string;
      const b = right.value as number | string;
      return operator === '<' ? a < b : operator === '<=' ? a <= b : operator === '>' ? a > b : a >= b;
    }
    default:
      return null;
  }
}
