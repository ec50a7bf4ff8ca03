import type { FlightdeckConfig, Role } from '../../config.js';
import type { Identity } from './identity.js';

const rank: Record<Role, number> = { viewer: 1, lead: 2, ops: 3 };

export function roleAllows(role: Role | null, needed: Role): boolean {
  return role !== null && rank[role] >= rank[needed];
}

/** The highest role any rule grants this person in this environment; the default for the rest. */
export function roleFor(
  identity: Identity,
  auth: FlightdeckConfig['auth'],
  environment: string,
): Role | null {
  if (identity.fixedRole) return identity.fixedRole;
  const email = identity.email?.toLowerCase();
  let best: Role | null = auth.defaultRole === 'none' ? null : auth.defaultRole;
  for (const rule of auth.roles) {
    if (rule.environments && !rule.environments.includes(environment)) continue;
    const byEmail = email !== undefined && rule.emails.some((e) => e.toLowerCase() === email);
    const byGroup = rule.groups.some((g) => identity.groups.includes(g));
    if ((byEmail || byGroup) && (best === null || rank[rule.role] > rank[best])) best = rule.role;
  }
  return best;
}
