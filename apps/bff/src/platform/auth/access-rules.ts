import type { RoleName as Role } from '@flightdeck/contracts';

/** public: anyone; a role: that role or a higher one (viewer < lead < ops). */
export type Access = 'public' | Role;

/** Who may call what, keyed "METHOD /route/pattern"; each module declares its own beside its routes. */
export type AccessRules = Record<string, Access>;

/**
 * Every module's access rules in one table. A route with no rule fails start-up (so a new route
 * can't ship without a decision); HEAD follows its GET.
 */
export class AccessTable {
  private readonly table: AccessRules = {};

  /** Adds a module's rules; a rule declared twice is a wiring mistake. */
  declare(rules: AccessRules): void {
    for (const [route, access] of Object.entries(rules)) {
      if (route in this.table) throw new Error(`Access rule for ${route} is declared twice`);
      this.table[route] = access;
    }
  }

  get rules(): Readonly<AccessRules> {
    return this.table;
  }

  for(method: string, url: string): Access | undefined {
    return this.table[`${method === 'HEAD' ? 'GET' : method} ${url}`];
  }
}

export const isMutation = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
