// Walks Python statements in order, as the interpreter would, binding names to the values
// python-values can know. Alembic reads a revision file by importing it and calls upgrade();
// this does the same without Python: module level first, then a chosen function's body.
import { childNodes, nodeText, type PythonModule, type PythonNode } from './python-syntax.js';
import { iterationItems } from './python-builtins.js';
import {
  bindTargets,
  evaluate,
  Scope,
  truthOf,
  unknown,
  type CallValue,
  type EvaluationContext,
  type FunctionValue,
  type PyValue,
} from './python-values.js';

export interface ExecutionFrame {
  /** Inside an if/else whose condition is known only at run time, a loop with unknown items, or a while: the code may not run. */
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
      conditionally: () => this.context(scope, { ...frame, conditional: true }),
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
        return this.runFor(children, scope, frame);
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
    const valueNodes = segments.pop()!;
    const single = valueNodes.length === 1 ? valueNodes[0]! : null;
    let value: PyValue;
    if (single) value = evaluate(single, context);
    else {
      // `X = "a", *REST`: a tuple display without parentheses
      const items: PyValue[] = [];
      for (let i = 0; i < valueNodes.length; i++) {
        const node = valueNodes[i]!;
        if (node.name === ',') continue;
        if (node.name === '*') {
          const spread = valueNodes[i + 1] ? iterationItems(evaluate(valueNodes[++i]!, context)) : null;
          if (spread) items.push(...spread);
          else {
            value = unknown(this.module, node, 'starred item known only at run time');
            for (const targets of segments) bindTargets(this.module, targets, value, context.scope);
            return;
          }
        } else items.push(evaluate(node, context));
      }
      value = { kind: 'sequence', items };
    }
    for (const targets of segments) bindTargets(this.module, targets, value, context.scope);
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

  private runFor(children: PythonNode[], scope: Scope, frame: ExecutionFrame): BlockOutcome {
    const inIndex = children.findIndex((child) => child.name === 'in');
    const targets = children.slice(1, inIndex);
    const iterableNode = children[inIndex + 1];
    const body = children.find((child) => child.name === 'Body');
    if (!iterableNode || !body) return null;
    const items = iterationItems(evaluate(iterableNode, this.context(scope, frame)));
    if (items && items.length <= maxUnrolledItems) {
      // Unrolled as Python runs it; a `return` inside ends the function there.
      for (const item of items) {
        bindTargets(this.module, targets, item, scope);
        const outcome = this.runBlock(body, scope, frame);
        if (outcome) return outcome;
      }
      return null;
    }
    // Items only known at run time: look at the body once, as code that may or may not run.
    bindTargets(
      this.module,
      targets,
      unknown(this.module, iterableNode, 'loop item known only at run time'),
      scope,
    );
    this.runBlock(body, scope, { ...frame, conditional: true });
    return null;
  }

  /**
   * if / elif / else. A condition known before run time (a loop item compared with a constant,
   * `if True:`, the dialect: always PostgreSQL here) picks its branch as Python would; from the
   * first unknown one on, every branch left may or may not run. Branches skipped because of the
   * dialect are reported (`onSkippedBranch`): they were not analysed for PostgreSQL.
   */
  private runIf(children: PythonNode[], scope: Scope, frame: ExecutionFrame): BlockOutcome {
    const branches: { condition: PythonNode | null; body: PythonNode }[] = [];
    for (let i = 0; i < children.length; i++) {
      const keyword = children[i]!.name;
      if (keyword !== 'if' && keyword !== 'elif' && keyword !== 'else') continue;
      const condition = keyword === 'else' ? null : (children[i + 1] ?? null);
      const body = children[keyword === 'else' ? i + 1 : i + 2];
      if (body?.name !== 'Body') return null; // unreadable: skip rather than misread
      branches.push({ condition, body });
      i += keyword === 'else' ? 1 : 2;
    }
    const context = this.context(scope, frame);
    const reportRest = (from: number, takenBy: string) => {
      for (const rest of branches.slice(from))
        this.hooks.onSkippedBranch?.({ body: rest.body, condition: takenBy, whenTrue: false });
    };
    let decided = true;
    for (const [index, { condition, body }] of branches.entries()) {
      if (!decided) {
        this.runBlock(body, scope, { ...frame, conditional: true });
        continue;
      }
      if (!condition) return this.runBlock(body, scope, frame);
      // Evaluated once (a call in a condition is a statement that runs once); whether the answer
      // came from the dialect is seen as it is read.
      let dialectRead = false;
      const watched: typeof context = context.attribute
        ? {
            ...context,
            attribute: (path) => {
              const known = context.attribute!(path);
              if (known && (known.kind === 'str' || known.kind === 'bool') && known.dialect)
                dialectRead = true;
              return known;
            },
          }
        : context;
      const truth = truthOf(condition, watched);
      const fromDialect = (dialectRead || this.namesDialect(condition, scope)) && truth !== null;
      if (truth === true) {
        const outcome = this.runBlock(body, scope, frame);
        if (fromDialect) reportRest(index + 1, nodeText(this.module, condition));
        return outcome;
      }
      if (truth === false) {
        if (fromDialect)
          this.hooks.onSkippedBranch?.({ body, condition: nodeText(this.module, condition), whenTrue: true });
        continue;
      }
      decided = false;
      this.runBlock(body, scope, { ...frame, conditional: true });
    }
    return null;
  }

  /** Whether a name the condition reads holds a value derived from the dialect (`is_sqlite = …`). */
  private namesDialect(node: PythonNode, scope: Scope): boolean {
    if (node.name === 'VariableName') {
      const value = scope.get(nodeText(this.module, node));
      return !!value && (value.kind === 'str' || value.kind === 'bool') && value.dialect === true;
    }
    return childNodes(node).some((child) => this.namesDialect(child, scope));
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
        bindTargets(this.module, [items[i + 2]!], value, scope);
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
