// Walks Python statements in order, as the interpreter would, binding names to the values
// python-values can know. Alembic reads a revision file by importing it and calls upgrade();
// this does the same without Python: module level first, then a chosen function's body.
import { childNodes, nodeText, type PythonModule, type PythonNode } from './python-syntax.js';
import {
  evaluate,
  Scope,
  unknown,
  type CallValue,
  type EvaluationContext,
  type FunctionValue,
  type PyValue,
} from './python-values.js';

export interface ExecutionFrame {
  /** Inside an if/else, loop with unknown items, or except: the code may not run. */
  conditional: boolean;
  depth: number;
}

export interface ExecutionHooks {
  onCall?(call: CallValue, frame: ExecutionFrame): PyValue | undefined;
  /** A `with` item is entered; the returned function runs when the block ends. */
  enterWith?(context: PyValue, frame: ExecutionFrame): (() => void) | undefined;
  /** Follow calls into functions defined in the script (helpers called from upgrade()). */
  followFunctions: boolean;
  /** Gives dotted attributes a value, e.g. the dialect name of `op.get_bind().dialect.name`. */
  attribute?(path: string[]): PyValue | undefined;
  /** An if/elif/else branch not run because its condition is known from the dialect. */
  onSkippedBranch?(branch: SkippedBranch): void;
}

export interface SkippedBranch {
  body: PythonNode;
  /** The condition as written; for an else, the earlier condition that was true. */
  condition: string;
  /** Whether the branch runs when the condition is true (false for an else / a false if). */
  whenTrue: boolean;
}

const maxUnrolledItems = 500;
const maxCallDepth = 5;

type BlockOutcome = { returned: PyValue } | null;

export class PythonInterpreter {
  readonly moduleScope = new Scope();

  constructor(
    private readonly module: PythonModule,
    private readonly hooks: ExecutionHooks,
  ) {}

  /** Runs the top level: imports, assignments and definitions. */
  runModule(): Scope {
    this.runBlock(this.module.tree.topNode, this.moduleScope, { conditional: false, depth: 0 });
    return this.moduleScope;
  }

  /** Runs a function defined at module level; false when there is none by that name. */
  runFunction(name: string): boolean {
    const fn = this.moduleScope.get(name);
    if (fn?.kind !== 'function') return false;
    this.runBody(fn, this.moduleScope.child(), { conditional: false, depth: 1 });
    return true;
  }

  private context(scope: Scope, frame: ExecutionFrame): EvaluationContext {
    return {
      module: this.module,
      scope,
      onCall: (call) => this.hooks.onCall?.(call, frame),
      invokeFunction: (fn, call) => this.invoke(fn, call, frame),
      ...(this.hooks.attribute ? { attribute: (path: string[]) => this.hooks.attribute?.(path) } : {}),
    };
  }

  private invoke(fn: FunctionValue, call: CallValue, frame: ExecutionFrame): PyValue {
    if (!this.hooks.followFunctions || frame.depth >= maxCallDepth)
      return unknown(this.module, call.node, `result of ${fn.name}()`);
    const scope = this.moduleScope.child();
    const params = childNodes(fn.node).find((child) => child.name === 'ParamList');
    const parameters = params ? readParameters(this.module, params) : [];
    parameters.forEach((parameter, position) => {
      const value =
        call.kwargs.get(parameter.name) ??
        call.args[position] ??
        (parameter.defaultNode ? evaluate(parameter.defaultNode, this.context(scope, frame)) : undefined);
      scope.set(parameter.name, value ?? unknown(this.module, call.node, `argument ${parameter.name}`));
    });
    const outcome = this.runBody(fn, scope, { ...frame, depth: frame.depth + 1 });
    return outcome?.returned ?? { kind: 'none' };
  }

  private runBody(fn: FunctionValue, scope: Scope, frame: ExecutionFrame): BlockOutcome {
    const body = childNodes(fn.node).find((child) => child.name === 'Body');
    return body ? this.runBlock(body, scope, frame) : null;
  }

  private runBlock(block: PythonNode, scope: Scope, frame: ExecutionFrame): BlockOutcome {
    for (const statement of childNodes(block)) {
      const outcome = this.runStatement(statement, scope, frame);
      if (outcome) return outcome;
    }
    return null;
  }

  private runStatement(statement: PythonNode, scope: Scope, frame: ExecutionFrame): BlockOutcome {
    const context = this.context(scope, frame);
    const children = childNodes(statement);
    switch (statement.name) {
      case 'ExpressionStatement':
        if (children[0]) evaluate(children[0], context);
        return null;
      case 'AssignStatement':
        this.assign(children, context);
        return null;
      case 'UpdateStatement': {
        // `sql += "..."` builds SQL piece by piece; only string concatenation is followed
        const [target, operator, valueNode] = children;
        if (target?.name === 'VariableName' && operator && valueNode) {
          const name = nodeText(this.module, target);
          const before = scope.get(name);
          const added = evaluate(valueNode, context);
          scope.set(
            name,
            nodeText(this.module, operator) === '+=' && before?.kind === 'str' && added.kind === 'str'
              ? { kind: 'str', value: before.value + added.value }
              : unknown(this.module, statement, 'value changed at run time'),
          );
        }
        return null;
      }
      case 'ImportStatement':
        this.importNames(children, scope);
        return null;
      case 'FunctionDefinition': {
        const name = children.find((child) => child.name === 'VariableName');
        if (name)
          scope.set(nodeText(this.module, name), {
            kind: 'function',
            name: nodeText(this.module, name),
            node: statement,
          });
        return null;
      }
      case 'DecoratedStatement':
      case 'StatementGroup':
        return this.runBlock(statement, scope, frame);
      case 'ReturnStatement': {
        const valueNode = children.find((child) => child.name !== 'return');
        return { returned: valueNode ? evaluate(valueNode, context) : { kind: 'none' } };
      }
      case 'IfStatement':
        return this.runIf(children, scope, frame);
      case 'WhileStatement':
      case 'TryStatement':
        for (const body of children.filter((child) => child.name === 'Body')) {
          this.runBlock(body, scope, {
            ...frame,
            conditional: frame.conditional || statement.name !== 'TryStatement',
          });
        }
        return null;
      case 'ForStatement':
        this.runFor(children, scope, frame);
        return null;
      case 'WithStatement':
        return this.runWith(children, scope, frame);
      default:
        return null; // class definitions, pass, raise, asserts and the like change nothing we track
    }
  }

  private assign(children: PythonNode[], context: EvaluationContext): void {
    const segments: PythonNode[][] = [[]];
    for (const child of children) {
      if (child.name === 'AssignOp') segments.push([]);
      else if (child.name !== 'TypeDef') segments[segments.length - 1]!.push(child);
    }
    if (segments.length < 2) return; // an annotation without a value
    const valueNodes = segments.pop()!.filter((node) => node.name !== ',');
    const value: PyValue =
      valueNodes.length === 1
        ? evaluate(valueNodes[0]!, context)
        : { kind: 'sequence', items: valueNodes.map((node) => evaluate(node, context)) };
    for (const targets of segments) this.bindTargets(targets, value, context.scope);
  }

  private bindTargets(targetNodes: PythonNode[], value: PyValue, scope: Scope): void {
    const names = targetNodes.filter((node) => node.name !== ',' && node.name !== '(' && node.name !== ')');
    const flattened =
      names.length === 1 && (names[0]!.name === 'TupleExpression' || names[0]!.name === 'ArrayExpression')
        ? childNodes(names[0]!).filter((node) => node.name === 'VariableName')
        : names;
    if (flattened.length === 1) {
      const only = flattened[0]!;
      if (only.name === 'VariableName') scope.set(nodeText(this.module, only), value);
      return;
    }
    flattened.forEach((target, index) => {
      if (target.name !== 'VariableName') return;
      const item: PyValue =
        value.kind === 'sequence' && value.items.length === flattened.length
          ? value.items[index]!
          : { kind: 'unknown', text: nodeText(this.module, target), reason: 'unpacked at run time' };
      scope.set(nodeText(this.module, target), item);
    });
  }

  private importNames(children: PythonNode[], scope: Scope): void {
    // `import a.b as c` binds c to a.b; `import a.b` binds a; `from m import n as k` binds k to n
    const isFrom = children[0]?.name === 'from';
    const importIndex = children.findIndex((child) => child.name === 'import');
    const items = isFrom ? children.slice(importIndex + 1) : children.slice(1);
    let dotted: string[] = [];
    let alias: string | null = null;
    let expectAlias = false;
    const flush = () => {
      if (dotted.length === 0) return;
      if (isFrom)
        scope.set(alias ?? dotted[dotted.length - 1]!, { kind: 'ref', path: [dotted[dotted.length - 1]!] });
      else if (alias) scope.set(alias, { kind: 'ref', path: dotted });
      else scope.set(dotted[0]!, { kind: 'ref', path: [dotted[0]!] });
      dotted = [];
      alias = null;
    };
    for (const item of items) {
      if (item.name === ',') flush();
      else if (item.name === 'as') expectAlias = true;
      else if (item.name === 'VariableName') {
        if (expectAlias) {
          alias = nodeText(this.module, item);
          expectAlias = false;
        } else dotted.push(nodeText(this.module, item));
      }
    }
    flush();
  }

  /**
   * Each branch's condition is evaluated; one known from the dialect (always PostgreSQL here)
   * decides which branch runs. Other conditions are unknown: their branches may or may not run.
   */
  private runIf(children: PythonNode[], scope: Scope, frame: ExecutionFrame): BlockOutcome {
    const branches: { condition: PythonNode | null; body: PythonNode }[] = [];
    let pending: PythonNode | null = null;
    for (const child of children) {
      if (child.name === 'if' || child.name === 'elif' || child.name === 'else' || child.name === ':')
        continue;
      if (child.name === 'Body') {
        branches.push({ condition: pending, body: child });
        pending = null;
      } else pending = child;
    }
    const context = this.context(scope, frame);
    // `taken`: a branch before is known to run, so the rest cannot
    let taken: string | null = null;
    let earlierUnknown = false;
    for (const branch of branches) {
      if (taken !== null) {
        this.hooks.onSkippedBranch?.({ body: branch.body, condition: taken, whenTrue: false });
        continue;
      }
      if (!branch.condition) {
        const outcome = this.runBlock(branch.body, scope, {
          ...frame,
          conditional: frame.conditional || earlierUnknown,
        });
        // Known to run: a `return` in it ends the function (after an unknown branch it may not)
        if (outcome && !earlierUnknown && taken === null) return outcome;
        continue;
      }
      const value = evaluate(branch.condition, context);
      const conditionText = nodeText(this.module, branch.condition);
      if (value.kind === 'bool' && value.dialect) {
        if (!value.value) {
          this.hooks.onSkippedBranch?.({ body: branch.body, condition: conditionText, whenTrue: true });
          continue;
        }
        const outcome = this.runBlock(branch.body, scope, {
          ...frame,
          conditional: frame.conditional || earlierUnknown,
        });
        taken = conditionText;
        if (outcome && !earlierUnknown) {
          for (const rest of branches.slice(branches.indexOf(branch) + 1))
            this.hooks.onSkippedBranch?.({ body: rest.body, condition: taken, whenTrue: false });
          return outcome;
        }
        continue;
      }
      earlierUnknown = true;
      this.runBlock(branch.body, scope, { ...frame, conditional: true });
    }
    return null;
  }

  private runFor(children: PythonNode[], scope: Scope, frame: ExecutionFrame): void {
    const inIndex = children.findIndex((child) => child.name === 'in');
    const targets = children.slice(1, inIndex);
    const iterableNode = children[inIndex + 1];
    const body = children.find((child) => child.name === 'Body');
    if (!iterableNode || !body) return;
    const iterable = evaluate(iterableNode, this.context(scope, frame));
    const items =
      iterable.kind === 'sequence'
        ? iterable.items
        : iterable.kind === 'dict'
          ? iterable.entries.map((entry) => entry.key)
          : null;
    if (items && items.length <= maxUnrolledItems) {
      for (const item of items) {
        this.bindTargets(targets, item, scope);
        this.runBlock(body, scope, frame);
      }
      return;
    }
    // Items only known at run time: look at the body once, as code that may or may not run.
    this.bindTargets(targets, unknown(this.module, iterableNode, 'loop item known only at run time'), scope);
    this.runBlock(body, scope, { ...frame, conditional: true });
  }

  private runWith(children: PythonNode[], scope: Scope, frame: ExecutionFrame): BlockOutcome {
    const body = children.find((child) => child.name === 'Body');
    const exits: (() => void)[] = [];
    const context = this.context(scope, frame);
    const items = children.filter((child) => child !== body && child.name !== 'with');
    for (let i = 0; i < items.length; i++) {
      const expression = items[i]!;
      if (expression.name === ',' || expression.name === '(' || expression.name === ')') continue;
      const value = evaluate(expression, context);
      if (items[i + 1]?.name === 'as' && items[i + 2]) {
        this.bindTargets([items[i + 2]!], value, scope);
        i += 2;
      }
      const exit = this.hooks.enterWith?.(value, frame);
      if (exit) exits.push(exit);
    }
    const outcome = body ? this.runBlock(body, scope, frame) : null;
    for (const exit of exits.reverse()) exit();
    return outcome;
  }
}

interface Parameter {
  name: string;
  defaultNode: PythonNode | null;
}

function readParameters(module: PythonModule, params: PythonNode): Parameter[] {
  const parameters: Parameter[] = [];
  const children = childNodes(params);
  let starred = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.name === '*' || child.name === '**') starred = true;
    else if (child.name === ',') starred = false;
    else if (child.name === 'VariableName' && !starred) {
      let next = i + 1;
      if (children[next]?.name === 'TypeDef') next += 1;
      const hasDefault = children[next]?.name === 'AssignOp';
      parameters.push({
        name: nodeText(module, child),
        defaultNode: hasDefault ? (children[next + 1] ?? null) : null,
      });
      i = hasDefault ? next + 1 : next - 1;
    }
  }
  return parameters;
}
