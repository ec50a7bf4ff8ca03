/** CloudWatch Logs' limit on a filter pattern's length. */
export const maxFilterPatternLength = 1024;

/**
 * A local check of a filter pattern's shape, so an obvious typo is a 400 naming the pattern
 * instead of a stream that fails later. CloudWatch still judges the pattern itself; this only
 * catches what can never be valid: unbalanced quotes, braces, brackets or parentheses.
 * Returns the problem, or null.
 */
export function filterPatternProblem(pattern: string): string | null {
  if (pattern.length > maxFilterPatternLength) {
    return `Filter pattern is ${pattern.length} characters; CloudWatch Logs allows ${maxFilterPatternLength}`;
  }
  const closers: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const open: string[] = [];
  let quote: '"' | null = null;
  let regex = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (regex) {
      if (c === '\\') i++;
      else if (c === '%') regex = false;
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '%') regex = true;
    else if (c in closers) open.push(closers[c]!);
    else if (c === '}' || c === ']' || c === ')') {
      if (open.pop() !== c) return `Filter pattern ${JSON.stringify(pattern)} has an unmatched "${c}"`;
    }
  }
  if (quote) return `Filter pattern ${JSON.stringify(pattern)} has an unclosed quote`;
  if (regex) return `Filter pattern ${JSON.stringify(pattern)} has an unclosed %regex%`;
  if (open.length) return `Filter pattern ${JSON.stringify(pattern)} is missing "${open.reverse().join('')}"`;
  return null;
}
