// A small evaluator for the constant part of Python expressions: enough to know that
// `down_revision = ("a", "b")` is two ids, that `sa.Column("x", sa.Text(), nullable=False)`
// is a call with those arguments, and that `TABLE + "_id"` is a string when TABLE is one.
// Anything it cannot know becomes an `unknown` value that says why — it never guesses.
import { childNodes, nodeText, type PythonModule, type PythonNode } from './python-syntax.js';
import { decodeEscapes, decodeStringLiteral, stringLiteralParts } from './python-string.js';

export interface CallValue {
  kind: 'call';
  /** Dotted callee, with `()` marking a call in the chain: op.get_context().autocommit_block -> ['op', 'get_context()', 'autocommit_block']. */
  callee: string[];
  args: PyValue[];
  kwargs: Map<string, PyValue>;
  /** True when *args or **kwargs were passed: the argument list is then incomplete. */
  starred: boolean;
  /** For a method call, the object it is called on (`sa.Enum(...)` in `sa.Enum(...).create(bind)`). */
  receiver: PyValue | null;
  node: PythonNode;
}

export interface FunctionValue {
  kind: 'function';
  name: string;
  node: PythonNode;
}

export type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'sequence'; items: PyValue[] }
  | { kind: 'dict'; entries: { key: PyValue; value: PyValue }[] }
  /** A name or attribute we do not evaluate (a module, a class): sa.Text, op, postgresql.JSONB. */
  | { kind: 'ref'; path: string[] }
  | CallValue
  | FunctionValue
  | { kind: 'unknown'; text: string; reason: string };

export class Scope {
  private readonly names = new Map<string, PyValue>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): PyValue | undefined {
    return this.names.get(name) ?? this.parent?.get(name);
  }
  set(name: string, value: PyValue): void {
    this.names.set(name, value);
  }
  child(): Scope {
    return new Scope(this);
  }
}

export interface EvaluationContext {
  module: PythonModule;
  scope: Scope;
  /** Sees every call once its arguments are known; may return the value the call stands for. */
  onCall?: (call: CallValue) => PyValue | undefined;
  /** Runs a function defined in the script (the interpreter supplies this). */
  invokeFunction?: (fn: FunctionValue, call: CallValue) => PyValue;
}

export function unknown(module: PythonModule, node: PythonNode, reason: string): PyValue {
  const text = nodeText(module, node);
  return { kind: 'unknown', text: text.length > 200 ? `${text.slice(0, 200)}…` : text, reason };
}

/** The dotted path a value can be called or accessed through, if it has one. */
export function pathOf(value: PyValue): string[] | null {
  if (value.kind === 'ref') return value.path;
  if (value.kind === 'call') {
    const last = value.callee[value.callee.length - 1] ?? '';
    return [...value.callee.slice(0, -1), `${last}()`];
  }
  return null;
}

const punctuation = new Set(['(', ')', '[', ']', '{', '}', ',', ':']);

export function evaluate(node: PythonNode, context: EvaluationContext): PyValue {
  const { module } = context;
  switch (node.name) {
    case 'String': {
      const value = decodeStringLiteral(nodeText(module, node));
      return value === null ? unknown(module, node, 'unreadable string literal') : { kind: 'str', value };
    }
    case 'FormatString':
      return evaluateFormatString(node, context);
    case 'ContinuedString': {
      // "a" "b": Python joins adjacent literals at compile time
      let joined = '';
      for (const part of childNodes(node)) {
        const value = evaluate(part, context);
        if (value.kind !== 'str') return value;
        joined += value.value;
      }
      return { kind: 'str', value: joined };
    }
    case 'Number': {
      const text = nodeText(module, node).replaceAll('_', '').toLowerCase();
      const prefixed = text.startsWith('0x') || text.startsWith('0o') || text.startsWith('0b');
      const value = prefixed ? Number(text) : Number.parseFloat(text);
      return Number.isFinite(value) && !text.endsWith('j')
        ? { kind: 'number', value }
        : unknown(module, node, 'unsupported number literal');
    }
    case 'Boolean':
      return { kind: 'bool', value: nodeText(module, node) === 'True' };
    case 'None':
      return { kind: 'none' };
    case 'TupleExpression':
    case 'ArrayExpression': {
      const items: PyValue[] = [];
      for (const child of childNodes(node)) {
        if (punctuation.has(child.name)) continue;
        if (child.name === '*') return unknown(module, node, 'starred item in a sequence');
        items.push(evaluate(child, context));
      }
      return { kind: 'sequence', items };
    }
    case 'ParenthesizedExpression': {
      const inner = childNodes(node).find((child) => !punctuation.has(child.name));
      return inner ? evaluate(inner, context) : { kind: 'sequence', items: [] };
    }
    case 'DictionaryExpression':
      return evaluateDictionary(node, context);
    case 'VariableName': {
      const name = nodeText(module, node);
      return context.scope.get(name) ?? { kind: 'ref', path: [name] };
    }
    case 'MemberExpression':
      return evaluateMember(node, context);
    case 'CallExpression':
      return evaluateCall(node, context);
    case 'BinaryExpression': {
      const [left, operator, right] = childNodes(node);
      if (left && right && operator && nodeText(module, operator) === '+') {
        const a = evaluate(left, context);
        const b = evaluate(right, context);
        if (a.kind === 'str' && b.kind === 'str') return { kind: 'str', value: a.value + b.value };
        if (a.kind === 'sequence' && b.kind === 'sequence')
          return { kind: 'sequence', items: [...a.items, ...b.items] };
      }
      return unknown(module, node, 'expression is computed at run time');
    }
    case 'UnaryExpression': {
      const [operator, operand] = childNodes(node);
      if (operator && operand && nodeText(module, operator) === '-') {
        const value = evaluate(operand, context);
        if (value.kind === 'number') return { kind: 'number', value: -value.value };
      }
      return unknown(module, node, 'expression is computed at run time');
    }
    default:
      return unknown(module, node, 'expression is computed at run time');
  }
}

function evaluateFormatString(node: PythonNode, context: EvaluationContext): PyValue {
  const { module } = context;
  const literal = nodeText(module, node);
  const parts = stringLiteralParts(literal);
  if (!parts) return unknown(module, node, 'unreadable string literal');
  const literalText = (from: number, to: number) =>
    decodeEscapes(literal.slice(from, to), parts.raw).replaceAll('{{', '{').replaceAll('}}', '}');
  let out = '';
  let position = parts.bodyStart;
  for (const replacement of childNodes(node)) {
    if (replacement.name !== 'FormatReplacement') continue;
    const start = replacement.from - node.from;
    out += literalText(position, start);
    position = replacement.to - node.from;
    const expression = childNodes(replacement).find(
      (child) => !['{', '}', 'FormatConversion', 'FormatSpec', 'FormatSelfDoc'].includes(child.name),
    );
    const value = expression ? evaluate(expression, context) : undefined;
    if (value?.kind === 'str') out += value.value;
    else if (value?.kind === 'number') out += String(value.value);
    else
      return unknown(
        module,
        node,
        `f-string interpolates ${nodeText(module, replacement)}, which is only known at run time`,
      );
  }
  out += literalText(position, parts.bodyEnd);
  return { kind: 'str', value: out };
}

function evaluateDictionary(node: PythonNode, context: EvaluationContext): PyValue {
  const entries: { key: PyValue; value: PyValue }[] = [];
  const children = childNodes(node).filter((child) => !['{', '}', ','].includes(child.name));
  for (let i = 0; i < children.length; i += 3) {
    const key = children[i];
    const colon = children[i + 1];
    const value = children[i + 2];
    if (!key || !value || colon?.name !== ':') return unknown(context.module, node, 'dictionary unpacking');
    entries.push({ key: evaluate(key, context), value: evaluate(value, context) });
  }
  return { kind: 'dict', entries };
}

function evaluateMember(node: PythonNode, context: EvaluationContext): PyValue {
  const { module } = context;
  const children = childNodes(node);
  const target = children[0];
  if (!target) return unknown(module, node, 'empty expression');
  if (children.some((child) => child.name === '[')) {
    const object = evaluate(target, context);
    const indexNode = children.find((child, i) => i > 0 && !punctuation.has(child.name));
    const index = indexNode ? evaluate(indexNode, context) : undefined;
    if (object.kind === 'sequence' && index?.kind === 'number') {
      const item = object.items.at(index.value);
      if (item) return item;
    }
    if (object.kind === 'dict' && index?.kind === 'str') {
      const entry = object.entries.find((e) => e.key.kind === 'str' && e.key.value === index.value);
      if (entry) return entry.value;
    }
    return unknown(module, node, 'subscript is computed at run time');
  }
  const property = children[children.length - 1];
  const base = pathOf(evaluate(target, context));
  if (!property || property.name !== 'PropertyName' || !base)
    return unknown(module, node, 'attribute of a computed value');
  return { kind: 'ref', path: [...base, nodeText(module, property)] };
}

function evaluateCall(node: PythonNode, context: EvaluationContext): PyValue {
  const { module } = context;
  const children = childNodes(node);
  const calleeNode = children[0];
  const argList = children[children.length - 1];
  if (!calleeNode || !argList || argList.name !== 'ArgList') return unknown(module, node, 'unreadable call');
  // A method call: evaluate the object once, keep it as the receiver.
  const memberParts = calleeNode.name === 'MemberExpression' ? childNodes(calleeNode) : [];
  const isMethod =
    memberParts.length === 3 && memberParts[1]?.name === '.' && memberParts[2]?.name === 'PropertyName';
  const receiver = isMethod ? evaluate(memberParts[0]!, context) : null;
  const receiverPath = receiver ? pathOf(receiver) : null;
  const calleeValue: PyValue = isMethod
    ? receiverPath
      ? { kind: 'ref', path: [...receiverPath, nodeText(module, memberParts[2]!)] }
      : unknown(module, calleeNode, 'method of a computed value')
    : evaluate(calleeNode, context);
  const call: CallValue = {
    kind: 'call',
    callee: pathOf(calleeValue) ?? ['<expression>'],
    args: [],
    kwargs: new Map(),
    starred: false,
    receiver,
    node,
  };
  const args = childNodes(argList).filter((child) => !['(', ')', ','].includes(child.name));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg.name === 'VariableName' && next?.name === 'AssignOp') {
      const valueNode = args[i + 2];
      if (valueNode) call.kwargs.set(nodeText(module, arg), evaluate(valueNode, context));
      i += 2;
    } else if (arg.name === '*' || arg.name === '**') {
      call.starred = true;
      i += 1;
    } else {
      call.args.push(evaluate(arg, context));
    }
  }
  if (calleeValue.kind === 'function' && context.invokeFunction)
    return context.invokeFunction(calleeValue, call);
  if (receiver?.kind === 'str' && isMethod) {
    return (
      stringMethod(receiver.value, nodeText(module, memberParts[2]!), call) ??
      unknown(module, node, 'string computed at run time')
    );
  }
  const replaced = context.onCall?.(call);
  if (replaced) return replaced;
  return builtinCall(call) ?? call;
}

/** The few standard-library helpers migrations wrap their SQL in. */
function builtinCall(call: CallValue): PyValue | undefined {
  const name = call.callee[call.callee.length - 1];
  const first = call.args[0];
  if (name === 'dedent' && first?.kind === 'str') return { kind: 'str', value: dedent(first.value) };
  return undefined;
}

function scalarText(value: PyValue | undefined): string | null {
  if (value?.kind === 'str') return value.value;
  if (value?.kind === 'number') return String(value.value);
  return null;
}

/** str methods SQL is built with: strip, join and simple format() fields ({}, {0}, {name}). */
function stringMethod(text: string, method: string, call: CallValue): PyValue | undefined {
  switch (method) {
    case 'strip':
      return { kind: 'str', value: text.trim() };
    case 'lstrip':
      return { kind: 'str', value: text.trimStart() };
    case 'rstrip':
      return { kind: 'str', value: text.trimEnd() };
    case 'join': {
      const items = stringList(call.args[0]);
      return items ? { kind: 'str', value: items.join(text) } : undefined;
    }
    case 'format': {
      let out = '';
      let automatic = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if ((c === '{' || c === '}') && text[i + 1] === c) {
          out += c;
          i += 1;
        } else if (c === '{') {
          const close = text.indexOf('}', i);
          if (close === -1) return undefined;
          const field = text.slice(i + 1, close);
          const value =
            field === ''
              ? call.args[automatic++]
              : [...field].every((d) => d >= '0' && d <= '9')
                ? call.args[Number(field)]
                : call.kwargs.get(field);
          const replacement = scalarText(value);
          if (replacement === null) return undefined; // format specs, attributes, unknown values
          out += replacement;
          i = close;
        } else out += c;
      }
      return { kind: 'str', value: out };
    }
    default:
      return undefined;
  }
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines
    .filter((line) => line.trim() !== '')
    .map((line) => line.length - line.trimStart().length);
  const margin = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(margin, line.length - line.trimStart().length))).join('\n');
}

/** A string argument, unwrapping sa.text(...), literal_column(...) and op.f(...) that only carry one. */
export function stringValue(value: PyValue | undefined): string | null {
  if (!value) return null;
  if (value.kind === 'str') return value.value;
  if (value.kind === 'call' && value.args.length >= 1) {
    const name = value.callee[value.callee.length - 1];
    if (
      name === 'text' ||
      name === 'f' ||
      name === 'literal_column' ||
      name === 'quoted_name' ||
      name === 'conv'
    )
      return stringValue(value.args[0]);
  }
  return null;
}

/** Strings from a str, or from a list/tuple of them; null when any item is not known. */
export function stringList(value: PyValue | undefined): string[] | null {
  if (!value) return null;
  const single = stringValue(value);
  if (single !== null) return [single];
  if (value.kind !== 'sequence') return null;
  const items = value.items.map((item) => stringValue(item));
  return items.every((item): item is string => item !== null) ? items : null;
}

export function describeValue(value: PyValue): string {
  switch (value.kind) {
    case 'str':
      return JSON.stringify(value.value);
    case 'number':
      return String(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'ref':
      return value.path.join('.');
    case 'call':
      return `${value.callee.join('.')}(…)`;
    case 'function':
      return `${value.name}()`;
    case 'sequence':
      return `[${value.items.map(describeValue).join(', ')}]`;
    case 'dict':
      return '{…}';
    case 'unknown':
      return value.text;
  }
}
