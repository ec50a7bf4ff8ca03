// Decoding Python string literals from their source text, so that SQL written as
// '...', "...", '''...''', r"...", u"..." or b"..." reads the way Python would read it.

export interface StringLiteralParts {
  raw: boolean;
  bytes: boolean;
  format: boolean;
  /** Offset of the first character after the opening quotes, within the literal. */
  bodyStart: number;
  /** Offset of the closing quotes, within the literal. */
  bodyEnd: number;
}

export function stringLiteralParts(literal: string): StringLiteralParts | null {
  let prefixEnd = 0;
  while (prefixEnd < literal.length && 'rRuUbBfF'.includes(literal[prefixEnd] ?? '')) prefixEnd++;
  const prefix = literal.slice(0, prefixEnd).toLowerCase();
  const quote = literal[prefixEnd];
  if (quote !== '"' && quote !== "'") return null;
  const triple = literal.startsWith(quote.repeat(3), prefixEnd);
  const quoteLength = triple ? 3 : 1;
  const bodyStart = prefixEnd + quoteLength;
  const closes = literal.endsWith(quote.repeat(quoteLength)) && literal.length >= bodyStart + quoteLength;
  return {
    raw: prefix.includes('r'),
    bytes: prefix.includes('b'),
    format: prefix.includes('f'),
    bodyStart,
    bodyEnd: closes ? literal.length - quoteLength : literal.length,
  };
}

const simpleEscapes: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function isHex(text: string): boolean {
  return text.length > 0 && [...text].every((c) => '0123456789abcdefABCDEF'.includes(c));
}

/** Applies Python's backslash escapes to a literal's body (raw strings keep them as written). */
export function decodeEscapes(body: string, raw: boolean): string {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[i + 1] ?? '';
    if (next === '\n') {
      i += 1; // a backslash at the end of a line continues the string
    } else if (next === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
    } else if (next in simpleEscapes) {
      out += simpleEscapes[next];
      i += 1;
    } else if ('01234567'.includes(next)) {
      let digits = next;
      while (digits.length < 3 && '01234567'.includes(body[i + 1 + digits.length] ?? 'x'))
        digits += body[i + 1 + digits.length];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + width);
      if (digits.length === width && isHex(digits)) {
        out += String.fromCodePoint(parseInt(digits, 16));
        i += 1 + width;
      } else {
        out += c;
      }
    } else {
      out += c; // unknown escapes (and \N{...}) stay as written, as Python does for unknown ones
    }
  }
  return out;
}

/** The value of a plain (non-f) string literal, or null when the text is not one. */
export function decodeStringLiteral(literal: string): string | null {
  const parts = stringLiteralParts(literal);
  if (!parts || parts.format) return null;
  return decodeEscapes(literal.slice(parts.bodyStart, parts.bodyEnd), parts.raw);
}
