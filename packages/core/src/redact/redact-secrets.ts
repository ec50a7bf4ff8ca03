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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `key=value`, `"key": "value"`: the value hidden, the key kept so the line still says what it was. */
function keyedValueRule(keys: string[]): Rule {
  return {
    kind: 'keyed-secret',
    pattern: new RegExp(
      `(["']?\\b(?:${keys.join('|')})\\b["']?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^\\s,;&}]+)`,
      'gi',
    ),
    replace: (_m, head) => `${head}${redacted}`,
  };
}

const genericSecretKeys = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'api[_-]?key',
  'token',
  'client[_-]?secret',
];

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
  keyedValueRule(genericSecretKeys),
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

const apply = (rules: Rule[], text: string) => {
  let out = text;
  for (const rule of rules)
    out = out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  return out;
};

/** Replaces every secret in `text`; text without secrets comes back unchanged. */
export function redactSecrets(text: string): string {
  return apply(rules, text);
}

/**
 * A redactor that also hides the values of the application's own secret fields (config
 * `redaction.secretKeys`, e.g. a PIN column), besides the generic secrets.
 */
export function secretRedactor(secretKeys: readonly string[]): (text: string) => string {
  if (secretKeys.length === 0) return redactSecrets;
  const all = [...rules, keyedValueRule(secretKeys.map(escapeRegExp))];
  return (text) => apply(all, text);
}
