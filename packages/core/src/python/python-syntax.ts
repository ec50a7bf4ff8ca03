// A thin layer over @lezer/python: the grammar gives us a concrete syntax tree,
// these helpers give the rest of core a way to read it without touching lezer's cursor API.
import { parser } from '@lezer/python';

export type PythonTree = ReturnType<typeof parser.parse>;
export type PythonNode = PythonTree['topNode'];

export interface PythonModule {
  text: string;
  tree: PythonTree;
  /** 1-based line of a character offset. */
  lineAt(offset: number): number;
}

export interface PythonSyntaxProblem {
  line: number;
  message: string;
}

export function parsePython(text: string): PythonModule {
  const tree = parser.parse(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return {
    text,
    tree,
    lineAt(offset) {
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((lineStarts[mid] ?? 0) <= offset) low = mid;
        else high = mid - 1;
      }
      return low + 1;
    },
  };
}

/** Child nodes, without comments (lezer keeps them in the tree, the language does not). */
export function childNodes(node: PythonNode): PythonNode[] {
  const children: PythonNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'Comment') children.push(child);
  }
  return children;
}

export function nodeText(module: PythonModule, node: PythonNode): string {
  return module.text.slice(node.from, node.to);
}

/**
 * Places where CPython would refuse the file. lezer recovers from errors (it is built for
 * editors), so an error node is how a syntax error shows; it also accepts Python 2's print
 * statement, which Python 3 — what Alembic runs — rejects.
 */
export function findSyntaxProblems(module: PythonModule): PythonSyntaxProblem[] {
  const problems: PythonSyntaxProblem[] = [];
  const cursor = module.tree.cursor();
  do {
    if (cursor.type.isError) {
      const near = module.text
        .slice(cursor.from, Math.min(cursor.from + 30, module.text.length))
        .split('\n')[0];
      problems.push({
        line: module.lineAt(cursor.from),
        message: near ? `invalid syntax near "${near}"` : 'invalid syntax (unexpected end of statement)',
      });
    } else if (cursor.name === 'PrintStatement') {
      problems.push({
        line: module.lineAt(cursor.from),
        message: 'Python 2 print statement (invalid in Python 3)',
      });
    }
  } while (cursor.next());
  return problems;
}

/** Every comment with its 1-based line (suppressions are written as comments). */
export function pythonComments(module: PythonModule): { line: number; text: string }[] {
  const comments: { line: number; text: string }[] = [];
  const cursor = module.tree.cursor();
  do {
    if (cursor.name === 'Comment')
      comments.push({ line: module.lineAt(cursor.from), text: module.text.slice(cursor.from, cursor.to) });
  } while (cursor.next());
  return comments;
}
