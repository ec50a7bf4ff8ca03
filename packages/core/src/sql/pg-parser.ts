// The real PostgreSQL parser (libpg-query, WASM). It must be loaded once before the
// synchronous analyzers run: call initSqlParser() at start-up (the BFF) or in beforeAll (tests).
import { loadModule, parseSync, scanSync, type Node } from 'libpg-query';
import { isReservedKeyword } from './reserved-keywords.js';

let ready = false;

export async function initSqlParser(): Promise<void> {
  await loadModule();
  ready = true;
}

export function isSqlParserReady(): boolean {
  return ready;
}

function requireParser(): void {
  if (!ready)
    throw new Error('The SQL parser is not loaded: await initSqlParser() once before analysing migrations.');
}

export interface ParsedSqlStatement {
  /** The statement's parse tree; null when it does not parse. */
  node: Node | null;
  /** The statement as written (trimmed, without its semicolon). */
  text: string;
  /** Character offset of the statement within the SQL given. */
  offset: number;
  error: string | null;
  /**
   * Reserved key words written as bare identifiers. PostgreSQL rejects such a statement;
   * we quote them, parse again, and when that succeeds we know what the author meant.
   */
  unquotedReservedWords: string[];
}

interface Token {
  start: number;
  end: number;
  text: string;
  reserved: boolean;
  semicolon: boolean;
}

/** libpg-query counts UTF-8 bytes; JavaScript strings count UTF-16 units. */
function byteToCharMap(text: string): (byteOffset: number) => number {
  const map: number[] = [];
  let charIndex = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const bytes = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    for (let i = 0; i < bytes; i++) map.push(charIndex);
    charIndex += char.length;
  }
  map.push(charIndex);
  return (byteOffset) => map[Math.min(Math.max(byteOffset, 0), map.length - 1)] ?? charIndex;
}

function tokens(sql: string): Token[] | null {
  try {
    const toChar = byteToCharMap(sql);
    return (scanSync(sql).tokens ?? []).map((token) => ({
      start: toChar(token.start),
      end: toChar(token.end),
      text: token.text,
      reserved: token.keywordName === 'RESERVED_KEYWORD' || token.keywordName === 'TYPE_FUNC_NAME_KEYWORD',
      semicolon: token.text === ';',
    }));
  } catch {
    return null; // the scanner fails on unterminated quotes; the parser will say where
  }
}

function errorOf(error: unknown): { message: string; position: number | null } {
  const message = error instanceof Error ? error.message : String(error);
  const details = (error as { sqlDetails?: { cursorPosition?: number } } | null)?.sqlDetails;
  return { message, position: typeof details?.cursorPosition === 'number' ? details.cursorPosition : null };
}

function trimmedStatement(sql: string, start: number, end: number): { text: string; offset: number } {
  const raw = sql.slice(start, end);
  const leading = raw.length - raw.trimStart().length;
  let text = raw.trim();
  if (text.endsWith(';')) text = text.slice(0, -1).trimEnd();
  return { text, offset: start + leading };
}

/** Tokens after which PostgreSQL expects a table, column, index or constraint name. */
const namePrecedingTokens = new Set([
  'column',
  'table',
  'add',
  ',',
  '(',
  '.',
  'to',
  'index',
  'exists',
  'on',
  'references',
  'constraint',
  'type',
  'into',
  'update',
  'set',
  'by',
  'key',
  'view',
  'alter',
  'drop',
  'rename',
]);

/** Parses one statement, repairing reserved words used as names when that makes it valid. */
function parseOne(sql: string, offset: number): ParsedSqlStatement {
  const statement = trimmedStatement(sql, 0, sql.length);
  let attempt = statement.text;
  const repaired: string[] = [];
  let firstError: string | null = null;
  for (let round = 0; round < 8; round++) {
    try {
      const result = parseSync(attempt);
      const node = result.stmts?.[0]?.stmt ?? null;
      return {
        node,
        text: statement.text,
        offset: offset + statement.offset,
        error: null,
        unquotedReservedWords: repaired,
      };
    } catch (error) {
      const { message, position } = errorOf(error);
      firstError ??= message;
      const scanned = tokens(attempt);
      const at =
        position === null || !scanned
          ? -1
          : scanned.findIndex(
              (token) => token.reserved && (token.start === position || token.start === position - 1),
            );
      const culprit = scanned?.[at];
      const before = scanned
        ?.slice(0, Math.max(at, 0))
        .filter((token) => !token.text.startsWith('--') && !token.text.startsWith('/*'))
        .pop();
      // Only where a name is expected: quoting a key word anywhere would make nonsense parse too
      if (
        !culprit ||
        !isReservedKeyword(culprit.text) ||
        !before ||
        !namePrecedingTokens.has(before.text.toLowerCase())
      )
        break;
      const word = culprit.text.toLowerCase();
      repaired.push(word);
      attempt = `${attempt.slice(0, culprit.start)}"${word}"${attempt.slice(culprit.end)}`;
    }
  }
  return {
    node: null,
    text: statement.text,
    offset: offset + statement.offset,
    error: firstError ?? 'syntax error',
    unquotedReservedWords: [],
  };
}

/**
 * Splits SQL into statements and parses each. When the whole text parses, PostgreSQL's
 * own statement boundaries are used; otherwise the scanner's semicolons, so one bad
 * statement does not hide the others.
 */
export function parseSqlStatements(sql: string): ParsedSqlStatement[] {
  requireParser();
  if (sql.trim() === '') return [];
  if (sql.includes('\u0000')) {
    // The parser reads C strings and would silently stop at the NUL; PostgreSQL rejects it.
    const statement = trimmedStatement(sql, 0, sql.length);
    return [
      {
        node: null,
        ...statement,
        error: 'the SQL contains a NUL character (0x00)',
        unquotedReservedWords: [],
      },
    ];
  }
  try {
    const result = parseSync(sql);
    const toChar = byteToCharMap(sql);
    const byteLength = new TextEncoder().encode(sql).length;
    return (result.stmts ?? []).map((raw) => {
      const startByte = raw.stmt_location ?? 0;
      const endByte = raw.stmt_len ? startByte + raw.stmt_len : byteLength;
      const { text, offset } = trimmedStatement(sql, toChar(startByte), toChar(endByte));
      return { node: raw.stmt ?? null, text, offset, error: null, unquotedReservedWords: [] };
    });
  } catch {
    // fall through to statement-by-statement parsing
  }
  const scanned = tokens(sql);
  if (!scanned) return [parseOne(sql, 0)];
  const statements: ParsedSqlStatement[] = [];
  let start = 0;
  const flush = (end: number) => {
    const piece = sql.slice(start, end);
    if (piece.trim() !== '' && !onlyComments(piece)) statements.push(parseOne(piece, start));
  };
  for (const token of scanned) {
    if (!token.semicolon) continue;
    flush(token.end);
    start = token.end;
  }
  flush(sql.length);
  return statements;
}

function onlyComments(piece: string): boolean {
  const scanned = tokens(piece);
  return (
    scanned !== null &&
    scanned.every((token) => token.text.startsWith('--') || token.text.startsWith('/*') || token.semicolon)
  );
}

/** Comments in SQL text, with their character offsets (Alembic's offline output marks revisions with them). */
export function sqlComments(sql: string): { text: string; offset: number }[] {
  requireParser();
  return (tokens(sql) ?? [])
    .filter((token) => token.text.startsWith('--') || token.text.startsWith('/*'))
    .map((token) => ({ text: token.text, offset: token.start }));
}
