import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { roleAllows, roleFor } from './roles.js';

const auth = parseConfig({
  auth: {
    mode: 'sandbox',
    roles: [
      { role: 'ops', groups: ['sre'] },
      { role: 'lead', emails: ['Lee@CredMate.example'] },
      { role: 'ops', emails: ['lee@credmate.example'], environments: ['staging'] },
    ],
  },
}).auth;
const person = (email: string, groups: string[] = []) => ({
  user: email,
  name: email,
  email,
  groups,
  via: 'proxy' as const,
});

describe('roleFor', () => {
  it('grants the highest role any rule names, by email (case-insensitive) or group', () => {
    expect(roleFor(person('a@x', ['sre']), auth, 'production')).toBe('ops');
    expect(roleFor(person('lee@credmate.example'), auth, 'production')).toBe('lead');
  });
  it('applies environment-scoped rules only in their environments', () => {
    expect(roleFor(person('lee@credmate.example'), auth, 'staging')).toBe('ops');
  });
  it('gives everyone else the default role', () => {
    expect(roleFor(person('new@x'), auth, 'production')).toBe('viewer');
    expect(roleFor(person('new@x'), { ...auth, defaultRole: 'none' }, 'production')).toBeNull();
  });
  it('orders roles viewer < lead < ops', () => {
    expect(roleAllows('lead', 'viewer')).toBe(true);
    expect(roleAllows('lead', 'ops')).toBe(false);
    expect(roleAllows(null, 'viewer')).toBe(false);
  });
});
