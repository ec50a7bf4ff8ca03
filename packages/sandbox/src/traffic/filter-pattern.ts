/**
 * CloudWatch Logs filter patterns, term syntax only: space-separated terms that must all
 * appear, "quoted phrases", ?terms of which at least one must appear, -terms that must not.
 * Matching is case-sensitive, as in CloudWatch. JSON ({ $.x = 1 }), space-delimited
 * ([ip, user, ...]) and regex (%…%) patterns are not supported by the sandbox.
 */
export interface FilterPattern {
  required: string[];
  optional: string[];
  excluded: string[];
}

export class FilterPatternError extends Error {
  override readonly name = 'FilterPatternError';
}

export function parseFilterPattern(pattern: string | undefined): FilterPattern {
  const parsed: FilterPattern = { required: [], optional: [], excluded: [] };
  const text = (pattern ?? '').trim();
  if (text === '') return parsed;
  if (text.startsWith('{'))
    throw new FilterPatternError('JSON filter patterns are not supported by the sandbox');
  if (text.startsWith('['))
    throw new FilterPatternError('Space-delimited filter patterns are not supported by the sandbox');
  if (text.startsWith('%'))
    throw new FilterPatternError('Regular expression filter patterns are not supported by the sandbox');

  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    let bucket: keyof FilterPattern = 'required';
    if (text[i] === '?') {
      bucket = 'optional';
      i++;
    } else if (text[i] === '-' && i + 1 < text.length && text[i + 1] !== ' ') {
      bucket = 'excluded';
      i++;
    }
    let term: string;
    if (text[i] === '"') {
      const close = findClosingQuote(text, i + 1);
      if (close < 0) throw new FilterPatternError(`Invalid filter pattern: unterminated quote in ${pattern}`);
      term = text.slice(i + 1, close).replace(/\\(["\\])/g, '$1');
      i = close + 1;
    } else {
      const start = i;
      while (i < text.length && text[i] !== ' ' && text[i] !== '\t') i++;
      term = text.slice(start, i);
      if (term.includes('"'))
        throw new FilterPatternError(`Invalid filter pattern: stray quote in ${pattern}`);
    }
    if (term === '') throw new FilterPatternError(`Invalid filter pattern: empty term in ${pattern}`);
    parsed[bucket].push(term);
  }
  return parsed;
}

function findClosingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

export function matchesFilter(filter: FilterPattern, message: string): boolean {
  for (const term of filter.excluded) if (message.includes(term)) return false;
  for (const term of filter.required) if (!message.includes(term)) return false;
  return filter.optional.length === 0 || filter.optional.some((term) => message.includes(term));
}
