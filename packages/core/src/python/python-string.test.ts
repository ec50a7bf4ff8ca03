import { describe, expect, it } from 'vitest';
import { decodeEscapes, decodeStringLiteral, stringLiteralParts } from './python-string.js';

describe('decodeStringLiteral', () => {
  it('reads single, double and triple quoted strings', () => {
    expect(decodeStringLiteral(`'abc'`)).toBe('abc');
    expect(decodeStringLiteral(`"abc"`)).toBe('abc');
    expect(decodeStringLiteral(`"""a\n'b'\n"""`)).toBe(`a\n'b'\n`);
    expect(decodeStringLiteral(`'''x'''`)).toBe('x');
    expect(decodeStringLiteral(`''`)).toBe('');
  });

  it('applies escapes the way Python does', () => {
    expect(decodeStringLiteral(String.raw`'it\'s\n\t\\ \x41\u00e9 \101'`)).toBe("it's\n\t\\ Aé A");
    expect(decodeStringLiteral(String.raw`'keep \d and \N{DASH}'`)).toBe(String.raw`keep \d and \N{DASH}`);
    expect(decodeStringLiteral("'one \\\ntwo'")).toBe('one two');
  });

  it('keeps backslashes in raw strings and accepts every prefix', () => {
    expect(decodeStringLiteral(String.raw`r'\d+'`)).toBe(String.raw`\d+`);
    expect(decodeStringLiteral(String.raw`Rb"\x"`)).toBe(String.raw`\x`);
    expect(decodeStringLiteral(`u'abc'`)).toBe('abc');
    expect(decodeStringLiteral(`b'abc'`)).toBe('abc');
  });

  it('refuses f-strings and non-strings', () => {
    expect(decodeStringLiteral(`f'{x}'`)).toBeNull();
    expect(decodeStringLiteral(`abc`)).toBeNull();
  });
});

describe('stringLiteralParts', () => {
  it('locates the body of a prefixed triple-quoted literal', () => {
    const literal = `rf"""a{b}c"""`;
    const parts = stringLiteralParts(literal);
    expect(parts).toMatchObject({ raw: true, format: true, bytes: false });
    expect(literal.slice(parts!.bodyStart, parts!.bodyEnd)).toBe('a{b}c');
  });
  it('leaves unknown escapes alone when decoding', () => {
    expect(decodeEscapes('a\\qb', false)).toBe('a\\qb');
  });
});
