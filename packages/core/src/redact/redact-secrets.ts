/**
 * Secrets that turn up in application logs. Log tails are shown to every viewer and
 * Flightdeck's own logs are shipped elsewhere, so both pass through here first.
 */
export const redacted = '[REDACTED]';

/**
 * Card networks issue numbers starting with 2-6 (Mastercard, Amex, Diners, JCB, Visa, Discover,
 * UnionPay). Epoch timestamps in milli- or microseconds start with 1, and one in ten of them
 * passes Luhn, so without this a log's timestamps would vanish at random.
 */
const cardNetworkPrefix = /^[2-6]/;

/** Luhn check: only digit runs that are plausible card numbers are hidden, not every order id. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const rules: Rule[] = [
  // scheme://user:password@host — keep the user and host so the line still says where.
  {
    kind: 'connection-string',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+):([^\s@'"]+)@/gi,
    replace: (_m, head) => `${head}:${redacted}@`,
  },
  {
    kind: 'aws-access-key',
    pattern: /\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{16}\b/g,
    replace: () => redacted,
  },
  {
    kind: 'aws-secret-key',
    pattern:
      /\b(aws_?secret_?access_?key|secret_?access_?key|secretAccessKey)(["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi,
    replace: (_m, key, sep) => `${key}${sep}${redacted}`,
  },
  {
    kind: 'bearer-token',
    pattern: /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi,
    replace: (_m, word) => `${word} ${redacted}`,
  },
  {
    kind: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    replace: () => redacted,
  },
  {
    kind: 'password',
    pattern:
      /(["']?\b(?:password|passwd|pwd|secret|api[_-]?key|token|client[_-]?secret|portal_pin)\b["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi,
    replace: (_m, head) => `${head}${redacted}`,
  },
  {
    kind: 'card-number',
    pattern: /\b(?:\d[ -]?){12,18}\d\b/g,
    replace: (m) => {
      const digits = m.replace(/[ -]/g, '');
      return digits.length >= 13 &&
        digits.length <= 19 &&
        cardNetworkPrefix.test(digits) &&
        passesLuhn(digits)
        ? redacted
        : m;
    },
  },
];

/** Replaces every secret in `text`; text without secrets comes back unchanged. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of rules)
    out = out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  return out;
}
