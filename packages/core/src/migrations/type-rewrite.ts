// Whether ALTER COLUMN … TYPE rewrites the table. PostgreSQL skips the rewrite only
// when the old type is binary-coercible to the new one and the new one does not
// constrain more (ALTER TABLE docs, "Notes"); everything else copies every row
// under an ACCESS EXCLUSIVE lock and rebuilds the table's indexes.

export type TypeChangeCost = 'none' | 'rewrite' | 'rewrite-unless-utc' | 'unknown';

interface ParsedType {
  base: string;
  modifiers: number[];
}

function parseType(type: string): ParsedType {
  const normalized = type.trim().toUpperCase().replaceAll('CHARACTER VARYING', 'VARCHAR');
  const open = normalized.indexOf('(');
  if (open === -1) return { base: normalized, modifiers: [] };
  const close = normalized.indexOf(')', open);
  const modifiers = normalized
    .slice(open + 1, close === -1 ? undefined : close)
    .split(',')
    .map((part) => Number(part.trim()));
  const rest = close === -1 ? '' : normalized.slice(close + 1);
  return { base: `${normalized.slice(0, open)}${rest}`.replace(/\s+/g, ' ').trim(), modifiers };
}

export function typeChangeCost(from: string | null, to: string, using: string | null): TypeChangeCost {
  if (from === null) return 'unknown';
  if (using !== null) return 'rewrite'; // a USING expression is evaluated for every row
  const a = parseType(from);
  const b = parseType(to);
  if (a.base === b.base && a.modifiers.join() === b.modifiers.join()) return 'none';
  const textual = new Set(['VARCHAR', 'TEXT']);
  if (textual.has(a.base) && textual.has(b.base)) {
    if (b.base === 'TEXT' || b.modifiers.length === 0) return 'none'; // widening to unlimited
    if (a.base === 'VARCHAR' && a.modifiers.length && (b.modifiers[0] ?? 0) >= (a.modifiers[0] ?? 0))
      return 'none';
    return 'rewrite';
  }
  if (a.base === 'NUMERIC' && b.base === 'NUMERIC') {
    if (b.modifiers.length === 0) return 'none';
    const [p1 = 0, s1 = 0] = a.modifiers;
    const [p2 = 0, s2 = 0] = b.modifiers;
    return a.modifiers.length && p2 >= p1 && s2 === s1 ? 'none' : 'rewrite';
  }
  if (a.base === 'TIMESTAMP WITHOUT TIME ZONE' && b.base === 'TIMESTAMP WITH TIME ZONE')
    return 'rewrite-unless-utc';
  if (a.base === 'CIDR' && b.base === 'INET') return 'none';
  return 'rewrite';
}
