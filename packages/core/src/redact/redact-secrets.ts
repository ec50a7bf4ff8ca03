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

/**
 * A value after its key: quoted inside escaped JSON (`\"…\"`, a JSON document logged as a string),
 * quoted with escapes (`"a\"b"`), single-quoted, or bare up to a delimiter. A bare value stops at a
 * quote or a backslash before one, so redacting JSON text leaves it JSON.
 */
const keyedValue = String.raw`(\\+"(?:(?!\\+").)*\\+"|"(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s,;&}"\\]|\\(?!["\\]))+)`;

/**
 * `key=value`, `"key": "value"`, `\"key\":\"value\"`: the value hidden, its quotes and the key kept,
 * so the line still says what it was. A key may carry a prefix (`SessionToken`, `db_password`,
 * `x-amz-security-token`), bounded so a long word costs a bounded number of steps.
 */
function keyedValueRule(keys: string[]): Rule {
  return {
    kind: 'keyed-secret',
    pattern: new RegExp(
      String.raw`(\\*["']?\b[A-Za-z0-9_-]{0,40}?(?:${keys.join('|')})\b\\*["']?\s*[:=]\s*)${keyedValue}`,
      'gi',
    ),
    replace: (_m, head, value) => `${head}${keepQuotes(value!)}`,
  };
}

/** `"x"` → `"[REDACTED]"`, `\"x\"` → `\"[REDACTED]\"`, `x` → `[REDACTED]`. */
function keepQuotes(value: string): string {
  const open = /^(\\*["'])/.exec(value)?.[1];
  if (!open || value.length < open.length * 2) return redacted;
  return `${open}${redacted}${value.slice(value.length - open.length)}`;
}

const genericSecretKeys = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'api[_-]?key',
  'token',
  'client[_-]?secret',
  'session[_-]?token',
  'security[_-]?token',
  'private[_-]?key',
  '(?:set-)?cookie',
];

/** Characters that show as nothing: they split `pass\u200Bword` so no pattern sees the word. */
const invisible = /[\u00AD\u034F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** A 40-character AWS secret key is random base64: both cases, where a git SHA has one. */
const looksRandom = (token: string) => /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9/+]/.test(token);

const rules: Rule[] = [
  // A PEM private key, whole; one cut short (a truncated line) is hidden to its end or its quote.
  {
    kind: 'private-key',
    pattern:
      /(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----)(?:[\s\S]*?(-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----)|[^"]*)/g,
    replace: (_m, begin, end) => `${begin}${redacted}${end ?? ''}`,
  },
  // Cookie: a=b; c=d — every cookie of the header, up to the end of the line (or of a JSON string).
  {
    kind: 'cookie-header',
    pattern: /\b((?:set-)?cookie:[ \t]*)(?!\[REDACTED\])[^\r\n"\\]+/gi,
    replace: (_m, head) => `${head}${redacted}`,
  },
  // scheme://user:password@host — keep the user and host so the line still says where.
  {
    kind: 'connection-string',
    pattern: /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@'"]{1,200}):([^\s@'"]{1,200})@/gi,
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
      /\b(aws_?secret_?access_?key|secret_?access_?key|secretAccessKey)(\\*["']?\s*[:=]\s*\\*["']?)[A-Za-z0-9/+=]{16,}/gi,
    replace: (_m, key, sep) => `${key}${sep}${redacted}`,
  },
  // STS session tokens, whatever key they sit under: they start with the same encoded header.
  {
    kind: 'aws-session-token',
    pattern: /(?<![A-Za-z0-9/+])(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|AQoDYXdz|AgoJb3JpZ2lu)[A-Za-z0-9/+]{20,}={0,2}/g,
    replace: () => redacted,
  },
  // "the secret is wJalr…": a bare 40-character key shortly after the word secret.
  {
    kind: 'secret-near-word',
    pattern:
      /(\bsecret[A-Za-z_-]{0,30}[^\r\n]{0,40}?)(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    replace: (m, head, token) => (looksRandom(token!) ? `${head}${redacted}` : m),
  },
  {
    kind: 'bearer-token',
    pattern: /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi,
    replace: (_m, word) => `${word} ${redacted}`,
  },
  // Flightdeck's own API tokens, bare (a pipeline echoing its FLIGHTDECK_TOKEN, a token pasted in a note).
  {
    kind: 'flightdeck-api-token',
    pattern: /\bfd_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    replace: () => redacted,
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

const applyRules = (rules: Rule[], text: string) => {
  let out = text;
  for (const rule of rules)
    out = out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  return out;
};

/**
 * The rules over the text as it reads: invisible characters taken out first. A line with no
 * secret comes back exactly as it was, invisible characters and all.
 */
const apply = (rules: Rule[], text: string) => {
  const visible = text.replace(invisible, '');
  if (visible === text) return applyRules(rules, text);
  const out = applyRules(rules, visible);
  return out === visible ? text : out;
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
