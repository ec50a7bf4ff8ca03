import { describe, expect, it } from 'vitest';
import { redactSecrets, secretRedactor } from './redact-secrets.js';

describe('redactSecrets', () => {
  const cases: Array<[string, string, string]> = [
    ['aws access key', 'using key AKIAIOSFODNN7EXAMPLE for s3', 'AKIAIOSFODNN7EXAMPLE'],
    [
      'aws secret key',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY done',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    ['password in json', '{"email": "c1@test.com", "password": "Test1234"}', 'Test1234'],
    ['password in form', 'login email=c1@test.com&password=Test1234&next=/', 'Test1234'],
    ['bearer token', 'Authorization: Bearer abc.DEF-123_xyz', 'abc.DEF-123_xyz'],
    [
      'Flightdeck API token',
      'pipeline v2.14.0 pasted fd_aD4PgJnVgudi-R1kvQvqRe6-I2-SkKaqdWgF8PWU_Vc into its notes',
      'aD4PgJnVgudi-R1kvQvqRe6-I2-SkKaqdWgF8PWU_Vc',
    ],
    ['card number', 'charge card 4111 1111 1111 1111 for $10', '4111 1111 1111 1111'],
    ['card number without spaces', 'cc_number=4242424242424242', '4242424242424242'],
    ['connection string', 'connect postgres://app:s3cr3t!@db.internal:5432/credmate', 's3cr3t!'],
  ];
  it.each(cases)('hides a %s', (_kind, line, secret) => {
    const out = redactSecrets(line);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('keeps the context around a connection string', () => {
    expect(redactSecrets('postgres://app:pw@db:5432/x')).toBe('postgres://app:[REDACTED]@db:5432/x');
  });

  it('leaves ordinary lines alone, including ids that are not card numbers', () => {
    const line = 'INFO GET /api/v1/notifications/preferences 200 4ms request_id=1234567890123 NPI 1234567892';
    expect(redactSecrets(line)).toBe(line);
  });

  it('never hides epoch timestamps, even the one in ten that passes Luhn', () => {
    // 1795000000004 ms and 1795000000000007 µs both pass Luhn.
    for (const stamp of ['1795000000004', '1795000000000007']) {
      const line = `INFO job=reminders started_at=${stamp} status=ok`;
      expect(redactSecrets(line)).toBe(line);
    }
  });

  it('still hides card numbers of every network', () => {
    for (const card of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '2223003122003222',
      '3566002020360505',
    ]) {
      expect(redactSecrets(`card ${card} declined`)).toBe('card [REDACTED] declined');
    }
  });

  it('knows no application field names of its own; they come from config', () => {
    const line = 'license saved {"portal_pin": "4711", "state": "TX"} badge_code=991';
    expect(redactSecrets(line)).toBe(line);
    const redact = secretRedactor(['portal_pin', 'badge_code']);
    expect(redact(line)).toBe(
      'license saved {"portal_pin": "[REDACTED]", "state": "TX"} badge_code=[REDACTED]',
    );
    expect(redact('password=hunter2')).toBe('password=[REDACTED]');
  });
});

/** The forms issue 23 found leaking: each line, and every secret in it that must be gone. */
describe('redactSecrets: the forms that leaked', () => {
  const sessionToken = 'IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJHMEUCIQDx3Example0SessionTokenBody/abc+def==';
  const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const pem = [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
    'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
    '-----END RSA PRIVATE KEY-----',
  ];
  const table: Array<{ form: string; line: string; secrets: string[]; keeps?: string[] }> = [
    {
      form: 'escaped JSON',
      line: String.raw`payload "{\"email\":\"c1@test.com\",\"password\":\"Hunter2 with spaces\"}"`,
      secrets: ['Hunter2', 'with spaces'],
      keeps: [String.raw`\"password\":\"[REDACTED]\"`, 'c1@test.com'],
    },
    {
      form: 'doubly escaped JSON',
      line: String.raw`body="{\\\"password\\\":\\\"s3cret-value\\\"}"`,
      secrets: ['s3cret-value'],
    },
    {
      form: 'a quoted value with an escaped quote inside',
      line: String.raw`{"password": "ab\"cd-rest", "user": "c1"}`,
      secrets: ['ab', 'cd-rest'],
      keeps: ['"user": "c1"'],
    },
    {
      form: 'an AWS session token in JSON',
      line: `{"Credentials": {"AccessKeyId": "ASIAQWERTYUIOPASDFGH", "SecretAccessKey": "${secretKey}", "SessionToken": "${sessionToken}", "Expiration": "2026-02-03T07:00:00Z"}}`,
      secrets: ['ASIAQWERTYUIOPASDFGH', secretKey, sessionToken, 'IQoJb3JpZ2lu'],
      keeps: ['"Expiration": "2026-02-03T07:00:00Z"'],
    },
    {
      form: 'an AWS session token under any key',
      line: `boto3 creds token_value=${sessionToken} region=us-east-1`,
      secrets: ['IQoJb3JpZ2lu'],
      keeps: ['region=us-east-1'],
    },
    {
      form: 'AWS_SESSION_TOKEN in the environment',
      line: 'env AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaDHabcdefghijklmnopqrstuvwxyz012345 AWS_REGION=eu-west-1',
      secrets: ['FwoGZXIvYXdz', 'abcdefghijklmnop'],
      keeps: ['AWS_REGION=eu-west-1'],
    },
    {
      form: 'a Cookie: header',
      line: 'request headers Cookie: session=9f8e7d6c5b4a; csrf=abc123def; theme=dark',
      secrets: ['9f8e7d6c5b4a', 'abc123def', 'theme=dark'],
      keeps: ['request headers Cookie: '],
    },
    {
      form: 'a Set-Cookie: header',
      line: 'response Set-Cookie: sid=s%3Aabcdef.ghijkl; Path=/; HttpOnly; Secure',
      secrets: ['s%3Aabcdef.ghijkl'],
      keeps: ['Set-Cookie: [REDACTED]'],
    },
    {
      form: 'cookies in a JSON headers object',
      line: '{"headers": {"cookie": "sid=abc123; csrf=def456", "host": "api.example.com"}}',
      secrets: ['abc123', 'def456'],
      keeps: ['"host": "api.example.com"'],
    },
    {
      form: 'a PEM private key block',
      line: `loaded key ${pem.join('\n')} from env`,
      secrets: [pem[1]!, pem[2]!, 'MIIEow'],
      keeps: ['-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', 'from env'],
    },
    {
      form: 'a PEM private key in JSON, newlines escaped',
      line: JSON.stringify({ private_key: pem.join('\n'), kid: 'k-1' }),
      secrets: ['MIIEow', 'VTLw7onL'],
      keeps: ['"kid":"k-1"'],
    },
    {
      form: 'a PEM private key cut short',
      line: `key=${pem.slice(0, 2).join('\n')}`,
      secrets: ['MIIEow'],
    },
    {
      form: 'an OpenSSH private key',
      line: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----',
      secrets: ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmU'],
    },
    {
      form: 'a bare 40-character secret key after the word secret',
      line: `rotated the secret ${secretKey} for deploy-bot`,
      secrets: [secretKey],
      keeps: ['for deploy-bot'],
    },
    {
      form: 'a bare secret key a few words after "secret"',
      line: `Secret key is now ${secretKey}.`,
      secrets: [secretKey],
    },
    {
      form: 'a word split by a zero-width space',
      line: 'login pass\u200Bword=Hunter2Hunter2 ok',
      secrets: ['Hunter2Hunter2'],
      keeps: ['ok'],
    },
    {
      form: 'an access key split by zero-width joiners',
      line: 'key AKIA\u200DQWERTYUIOP\u2060ASDFGH used',
      secrets: ['QWERTYUIOP', 'ASDFGH'],
    },
    {
      form: 'a bearer token split by a soft hyphen and a BOM',
      line: 'Authorization: Bear\u00ADer abc.\uFEFFDEF-123_xyz',
      secrets: ['DEF-123_xyz'],
    },
  ];

  it.each(table)('hides $form', ({ line, secrets, keeps }) => {
    const out = redactSecrets(line);
    for (const secret of secrets) expect(out, out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
    for (const kept of keeps ?? []) expect(out).toContain(kept);
  });

  it('leaves JSON text JSON, so a redacted body still parses', () => {
    const body = {
      comment: String.raw`saw {\"password\":\"x1\"} and Cookie: a=b; c=d`,
      reason: 'secret rotated: ' + secretKey,
      token: 'abc',
    };
    const out = JSON.parse(redactSecrets(JSON.stringify(body))) as typeof body;
    expect(out.token).toBe('[REDACTED]');
    expect(out.comment).not.toContain('x1');
    expect(out.comment).not.toContain('a=b');
    expect(out.reason).not.toContain(secretKey);
  });

  /** Lines that look close to a secret and must stay readable, byte for byte. */
  const readable: Array<[string, string]> = [
    [
      'a git commit SHA after "secret"',
      'secret rotation job at commit 3f2a9c1d4b5e6f708192a3b4c5d6e7f809a1b2c3',
    ],
    ['a word about secrets', 'Secrets Manager returned 3 secrets for prod/credmate in 41ms'],
    ['a cookie policy', 'Cookie policy banner dismissed by c1@test.com'],
    ['token counts', 'llm call max_tokens=1024 tokens_used=877 token_type=bearer'],
    ['password policy fields', 'passwordResetRequired=false password_hash_algo=argon2id'],
    [
      'a request with ids',
      'INFO GET /api/v1/notifications/preferences 200 4ms request_id=5d7f0c2e-8b1a-4c3d-9e2f-1a2b3c4d5e6f',
    ],
    ['a snapshot name', 'CreateDBSnapshot prod-credmate-db-pre-migration-20260203-062934'],
    [
      'a public key block',
      '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
    ],
    ['emoji with a zero-width joiner', 'deploy done 👩\u200D💻 by c1'],
    ['base64 that is no session token', 'payload=eyJ0eXAiOiJKV1Q'],
  ];
  it.each(readable)('keeps %s readable', (_what, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
