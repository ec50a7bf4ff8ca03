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
      'license saved {"portal_pin": [REDACTED], "state": "TX"} badge_code=[REDACTED]',
    );
    expect(redact('password=hunter2')).toBe('password=[REDACTED]');
  });
});
