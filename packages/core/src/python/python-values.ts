// A small evaluator for the constant part of Python expressions: enough to know that
// `down_revision = ("a", "b")` is two ids, that `sa.Column("x", sa.Text(), nullable=False)`
// is a call with those arguments, and that `TABLE + "_id"` is a string when TABLE is one.
// Anything it cannot know becomes an `unknown` value that says why — it never guesses.
import { childNodes, nodeText, type PythonModule, type PythonNode } from './python-syntax.js';
import { decodeEscapes, decodeStringLiteral, stringLiteralParts } from './python-string.js';
import {
  builtinFunction,
  compareValues,
  dictMethod,
  iterationItems,
  maxKnownItems,
  truthiness,
} from './python-builtins.js';

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
  /** `dialect`: derived from the database the migration runs on (bind.dialect.name, the URL). */
  | { kind: 'str'; value: string; dialect?: true }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean; dialect?: true }
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
  /** The same context for code that may or may not run (a comprehension over unknown items). */
  conditionally?: () => EvaluationContext;
  /** May give a dotted attribute a known value (`bind.dialect.name` is the dialect analysed for). */
  attribute?: (path: string[]) => PyValue | undefined;
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
    case 'ArrayExpression':
      return evaluateItems(node, childNodes(node), context);
    case 'ArrayComprehensionExpression':
    case 'ComprehensionExpression':
    case 'DictionaryComprehensionExpression':
      return evaluateComprehension(node, childNodes(node), context);
    case 'ConditionalExpression': {
      // x if condition else y
      const [whenTrue, , condition, , whenFalse] = childNodes(node);
      const truth = condition ? truthOf(condition, context) : null;
      if (truth === null || !whenTrue || !whenFalse)
        return unknown(module, node, 'condition is decided at run time');
      return evaluate(truth ? whenTrue : whenFalse, context);
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
      const children = childNodes(node);
      const left = children[0];
      const right = children[children.length - 1];
      const operator = children
        .slice(1, -1)
        .map((child) => nodeText(module, child))
        .join(' ');
      if (!left || !right || children.length < 3)
        return unknown(module, node, 'expression is computed at run time');
      const a = evaluate(left, context);
      const b = evaluate(right, context);
      if (operator === '+') {
        if (a.kind === 'str' && b.kind === 'str') return { kind: 'str', value: a.value + b.value };
        if (a.kind === 'sequence' && b.kind === 'sequence')
          return { kind: 'sequence', items: [...a.items, ...b.items] };
      }
      return comparison(operator, a, b) ?? unknown(module, node, 'expression is computed at run time');
    }
    case 'UnaryExpression': {
      const [operator, operand] = childNodes(node);
      if (operator && operand && nodeText(module, operator) === '-') {
        const value = evaluate(operand, context);
        if (value.kind === 'number') return { kind: 'number', value: -value.value };
      }
      if (operator && operand && nodeText(module, operator) === 'not') {
        const value = evaluate(operand, context);
        if (value.kind === 'bool') return withDialect({ kind: 'bool', value: !value.value }, value);
      }
      return unknown(module, node, 'expression is computed at run time');
    }
    default:
      return unknown(module, node, 'expression is computed at run time');
  }
}

type Scalar = string | number | boolean | null;

function scalarOf(value: PyValue): { known: true; value: Scalar } | { known: false } {
  if (value.kind === 'str' || value.kind === 'number' || value.kind === 'bool')
    return { known: true, value: value.value };
  if (value.kind === 'none') return { known: true, value: null };
  return { known: false };
}

function fromDialect(...values: PyValue[]): boolean {
  return values.some((value) => (value.kind === 'str' || value.kind === 'bool') && value.dialect === true);
}

function withDialect(result: PyValue & { kind: 'bool' | 'str' }, ...sources: PyValue[]): PyValue {
  return fromDialect(...sources) ? { ...result, dialect: true } : result;
}

/**
 * Comparisons and boolean logic over known constants, so that `bind.dialect.name == "mysql"`
 * is known to be false when the migration runs on PostgreSQL. Anything else stays unknown.
 */
function comparison(operator: string, a: PyValue, b: PyValue): PyValue | undefined {
  if (operator === 'and' || operator === 'or') {
    // Short-circuit as Python does: `False and <unknown>` is still False.
    if (a.kind === 'bool' && (operator === 'and' ? !a.value : a.value)) return a;
    if (a.kind === 'bool' && b.kind === 'bool') return withDialect({ kind: 'bool', value: b.value }, a, b);
    if (b.kind === 'bool' && (operator === 'and' ? !b.value : b.value) && fromDialect(b)) return b;
    return undefined;
  }
  if (operator === 'in' || operator === 'not in') {
    const needle = scalarOf(a);
    const haystack = b.kind === 'sequence' ? b.items.map(scalarOf) : b.kind === 'str' ? null : undefined;
    if (!needle.known) return undefined;
    let found: boolean;
    if (haystack === null && b.kind === 'str' && typeof needle.value === 'string')
      found = b.value.includes(needle.value);
    else if (haystack && haystack.every((item) => item.known))
      found = haystack.some((item) => item.known && item.value === needle.value);
    else return undefined;
    return withDialect({ kind: 'bool', value: operator === 'in' ? found : !found }, a, b);
  }
  const left = scalarOf(a);
  const right = scalarOf(b);
  if (!left.known || !right.known) return undefined;
  switch (operator) {
    case '==':
    case 'is':
      return withDialect({ kind: 'bool', value: left.value === right.value }, a, b);
    case '!=':
    case 'is not':
      return withDialect({ kind: 'bool', value: left.value !== right.value }, a, b);
    default:
      return undefined;
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
    if (children[i]?.name === '**') {
      // {**BASE, "k": v}: BASE's entries first, later keys replace earlier ones in place
      const spread = children[i + 1] ? evaluate(children[i + 1]!, context) : undefined;
      if (spread?.kind !== 'dict')
        return unknown(context.module, node, 'dictionary unpacking of a computed value');
      for (const entry of spread.entries) {
        const existing = entries.find(
          (e) => e.key.kind === 'str' && entry.key.kind === 'str' && e.key.value === entry.key.value,
        );
        if (existing) existing.value = entry.value;
        else entries.push({ ...entry });
      }
      i -= 1; // `** name` is two nodes, an entry three
      continue;
    }
    const key = children[i];
    const colon = children[i + 1];
    const value = children[i + 2];
    if (!key || !value || colon?.name !== ':') return unknown(context.module, node, 'dictionary unpacking');
    const keyValue = evaluate(key, context);
    const existing =
      keyValue.kind === 'str'
        ? entries.find((e) => e.key.kind === 'str' && e.key.value === keyValue.value)
        : undefined;
    if (existing) existing.value = evaluate(value, context);
    else entries.push({ key: keyValue, value: evaluate(value, context) });
  }
  return { kind: 'dict', entries };
}

/** The items of a list or tuple display, spreading `*NAME` when NAME is known: (*BASE, "extra"). */
function evaluateItems(node: PythonNode, children: PythonNode[], context: EvaluationContext): PyValue {
  const items: PyValue[] = [];
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (punctuation.has(child.name)) continue;
    if (child.name === '*') {
      const spread = children[i + 1] ? iterationItems(evaluate(children[i + 1]!, context)) : null;
      if (!spread) return unknown(context.module, node, 'starred item known only at run time');
      items.push(...spread);
      i += 1;
      continue;
    }
    items.push(evaluate(child, context));
  }
  return { kind: 'sequence', items };
}

type ComprehensionClause =
  { kind: 'for'; targets: PythonNode[]; iterable: PythonNode } | { kind: 'if'; condition: PythonNode };

/**
 * [element for targets in iterable if condition ...], a generator, or a dict comprehension.
 * The loops and conditions are worked out first; the element (which may call op.…) is then
 * evaluated once per binding, so a loop only half known never records half its calls as certain.
 */
function evaluateComprehension(node: PythonNode, nodes: PythonNode[], context: EvaluationContext): PyValue {
  const { module } = context;
  const children = nodes.filter((child) => !['[', ']', '(', ')', '{', '}'].includes(child.name));
  const firstFor = children.findIndex((child) => child.name === 'for');
  const element = children.slice(0, firstFor);
  const isDict = node.name === 'DictionaryComprehensionExpression';
  const clauses: ComprehensionClause[] = [];
  for (let i = firstFor; i >= 0 && i < children.length;) {
    const keyword = children[i]!.name;
    if (keyword === 'for') {
      const inIndex = children.findIndex((child, j) => j > i && child.name === 'in');
      const iterable = children[inIndex + 1];
      if (inIndex < 0 || !iterable) return unknown(module, node, 'unreadable comprehension');
      clauses.push({ kind: 'for', targets: children.slice(i + 1, inIndex), iterable });
      i = inIndex + 2;
    } else if (keyword === 'if' && children[i + 1]) {
      clauses.push({ kind: 'if', condition: children[i + 1]! });
      i += 2;
    } else return unknown(module, node, 'unreadable comprehension');
  }
  if (firstFor < 0 || element.length === 0) return unknown(module, node, 'unreadable comprehension');

  const bindings: Scope[] = [];
  const expand = (clauseIndex: number, scope: Scope): boolean => {
    const clause = clauses[clauseIndex];
    if (!clause) {
      bindings.push(scope);
      return bindings.length <= maxKnownItems;
    }
    const inScope = { ...context, scope };
    if (clause.kind === 'if') {
      const truth = truthOf(clause.condition, inScope);
      if (truth === null) return false;
      return truth ? expand(clauseIndex + 1, scope) : true;
    }
    const items = iterationItems(evaluate(clause.iterable, inScope));
    if (!items) return false;
    for (const item of items) {
      const itemScope = scope.child();
      bindTargets(module, clause.targets, item, itemScope);
      if (!expand(clauseIndex + 1, itemScope)) return false;
    }
    return true;
  };
  const unknownItem: PyValue = { kind: 'unknown', text: '', reason: 'unreadable comprehension' };
  const evaluateElement = (scope: Scope, base: EvaluationContext) => {
    const inScope = { ...base, scope };
    if (!isDict) return evaluate(element[0]!, inScope);
    const [key, , value] = element;
    return {
      key: key ? evaluate(key, inScope) : unknownItem,
      value: value ? evaluate(value, inScope) : unknownItem,
    };
  };

  if (!expand(0, context.scope.child())) {
    // As Python might run it: the element once, its names unknown, its calls maybe made.
    const scope = context.scope.child();
    for (const clause of clauses)
      if (clause.kind === 'for')
        bindTargets(
          module,
          clause.targets,
          unknown(module, clause.iterable, 'loop item known only at run time'),
          scope,
        );
    evaluateElement(scope, context.conditionally?.() ?? context);
    return unknown(module, node, 'items known only at run time');
  }
  if (isDict) {
    const entries = bindings.map(
      (scope) => evaluateElement(scope, context) as { key: PyValue; value: PyValue },
    );
    return { kind: 'dict', entries };
  }
  return { kind: 'sequence', items: bindings.map((scope) => evaluateElement(scope, context) as PyValue) };
}

/** Python's truth of a condition when it does not depend on the running program; null otherwise. */
export function truthOf(node: PythonNode, context: EvaluationContext): boolean | null {
  const { module } = context;
  const children = childNodes(node);
  if (node.name === 'ParenthesizedExpression') {
    const inner = children.find((child) => !punctuation.has(child.name));
    return inner ? truthOf(inner, context) : false;
  }
  if (node.name === 'UnaryExpression' && children[0]?.name === 'not' && children[1]) {
    const operand = children[1];
    // lezer reads `not a or b` as not (a or b); Python as (not a) or b: do not guess which
    if (
      operand.name === 'BinaryExpression' &&
      childNodes(operand).some((c) => c.name === 'and' || c.name === 'or')
    )
      return null;
    const truth = truthOf(operand, context);
    return truth === null ? null : !truth;
  }
  if (node.name === 'BinaryExpression') {
    const operatorNodes = children.slice(1, -1);
    const left = children[0];
    const right = children[children.length - 1];
    const operator = operatorNodes.map((child) => nodeText(module, child)).join(' ');
    if (!left || !right || operatorNodes.length === 0) return null;
    if (operator === 'and' || operator === 'or') {
      const a = truthOf(left, context);
      if (operator === 'and' && a === false) return false;
      if (operator === 'or' && a === true) return true;
      const b = truthOf(right, context);
      if (a === null)
        return (operator === 'and' && b === false) || (operator === 'or' && b === true) ? b : null;
      return b;
    }
    if (['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not'].includes(operator)) {
      // chained comparisons (a < b < c) nest a comparison on the left: not followed
      if (left.name === 'BinaryExpression' && childNodes(left).some((c) => c.name === 'CompareOp'))
        return null;
      return compareValues(operator, evaluate(left, context), evaluate(right, context));
    }
  }
  return truthiness(evaluate(node, context));
}

/**
 * Binds assignment or loop targets the way Python unpacks: `a, (b, c) = …`, `first, *rest = …`.
 * Names whose value cannot be told become unknown (never the value of a neighbour).
 */
export function bindTargets(module: PythonModule, nodes: PythonNode[], value: PyValue, scope: Scope): void {
  const isTuple = nodes.some((node) => node.name === ',');
  const targets: { node: PythonNode; starred: boolean }[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.name === '*' && nodes[i + 1]) targets.push({ node: nodes[++i]!, starred: true });
    else if (!punctuation.has(node.name)) targets.push({ node, starred: false });
  }
  if (!isTuple && targets.length === 1 && !targets[0]!.starred) {
    const target = targets[0]!.node;
    if (target.name === 'VariableName') scope.set(nodeText(module, target), value);
    else if (['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression'].includes(target.name))
      bindTargets(module, childNodes(target), value, scope);
    return; // attributes and subscripts: nothing we track
  }
  const items = iterationItems(value);
  const starAt = targets.findIndex((target) => target.starred);
  const fits =
    items !== null && (starAt < 0 ? items.length === targets.length : items.length >= targets.length - 1);
  targets.forEach((target, index) => {
    let item: PyValue = unknown(module, target.node, 'unpacked at run time');
    if (fits && items) {
      if (starAt < 0 || index < starAt) item = items[index]!;
      else if (index === starAt)
        item = { kind: 'sequence', items: items.slice(starAt, items.length - (targets.length - 1 - starAt)) };
      else item = items[items.length - (targets.length - index)]!;
    }
    bindTargets(module, [target.node], item, scope);
  });
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
  const path = [...base, nodeText(module, property)];
  return context.attribute?.(path) ?? { kind: 'ref', path };
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
  // f(x for x in ITEMS): a generator as the only argument
  if (args.some((arg) => arg.name === 'for')) args.splice(0, args.length, argList);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === argList) {
      call.args.push(evaluateComprehension(argList, childNodes(argList), context));
    } else if (arg.name === 'VariableName' && next?.name === 'AssignOp') {
      const valueNode = args[i + 2];
      if (valueNode) call.kwargs.set(nodeText(module, arg), evaluate(valueNode, context));
      i += 2;
    } else if (arg.name === '*' || arg.name === '**') {
      // f(*ARGS, **KWARGS) with known values is the call written out; otherwise incomplete
      const spread = next ? evaluate(next, context) : undefined;
      const items = arg.name === '*' ? iterationItems(spread) : null;
      if (items) call.args.push(...items);
      else if (
        arg.name === '**' &&
        spread?.kind === 'dict' &&
        spread.entries.every((e) => e.key.kind === 'str')
      )
        for (const entry of spread.entries)
          call.kwargs.set((entry.key as { value: string }).value, entry.value);
      else call.starred = true;
      i += 1;
    } else {
      call.args.push(evaluate(arg, context));
    }
  }
  if (calleeValue.kind === 'function' && context.invokeFunction)
    return context.invokeFunction(calleeValue, call);
  if (receiver?.kind === 'dict' && isMethod) {
    const answer = dictMethod(receiver, nodeText(module, memberParts[2]!), call);
    if (answer) return answer;
  }
  // reversed(COLUMNS), enumerate(…): a built-in, unless the script rebinds the name
  if (calleeNode.name === 'VariableName' && context.scope.get(nodeText(module, calleeNode)) === undefined) {
    const answer = builtinFunction(nodeText(module, calleeNode), call);
    if (answer) return answer;
  }
  if (receiver?.kind === 'str' && isMethod) {
    return (
      stringMethod(receiver, nodeText(module, memberParts[2]!), call) ??
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
  if (call.callee.length === 1 && name === 'str' && first?.kind === 'str') return first;
  return undefined;
}

function scalarText(value: PyValue | undefined): string | null {
  if (value?.kind === 'str') return value.value;
  if (value?.kind === 'number') return String(value.value);
  return null;
}

/** str methods SQL is built with: strip, join and simple format() fields ({}, {0}, {name}). */
function stringMethod(
  receiver: PyValue & { kind: 'str' },
  method: string,
  call: CallValue,
): PyValue | undefined {
  const text = receiver.value;
  switch (method) {
    case 'startswith':
    case 'endswith': {
      const affixes = stringList(call.args[0]);
      if (!affixes) return undefined;
      const value = affixes.some((affix) =>
        method === 'startswith' ? text.startsWith(affix) : text.endsWith(affix),
      );
      return withDialect({ kind: 'bool', value }, receiver);
    }
    case 'lower':
      return withDialect({ kind: 'str', value: text.toLowerCase() }, receiver);
    case 'upper':
      return withDialect({ kind: 'str', value: text.toUpperCase() }, receiver);
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
