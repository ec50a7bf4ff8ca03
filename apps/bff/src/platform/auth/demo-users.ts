import type { Role } from '../../config.js';

/** Sandbox mode only: one person per role, so the story can be played from every seat. */
export const demoUsers: ReadonlyArray<{ id: string; name: string; email: string; role: Role }> = [
  { id: 'vera', name: 'Vera (on-call)', email: 'vera@sandbox.flightdeck', role: 'viewer' },
  { id: 'lee', name: 'Lee (lead)', email: 'lee@sandbox.flightdeck', role: 'lead' },
  { id: 'omar', name: 'Omar (ops)', email: 'omar@sandbox.flightdeck', role: 'ops' },
];

export const demoUserCookie = 'flightdeck_demo_user';
