import type { Role } from '../../config.js';

/** public: anyone; a role: that role or a higher one (viewer < lead < ops). */
export type Access = 'public' | Role;

/**
 * The one table of who may call what, keyed "METHOD /route/pattern". A route missing here fails
 * start-up, so a new route can't ship without a decision; HEAD follows its GET.
 */
export const accessRules: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/docs': 'public',
  // The SPA's files: the page itself must load to show the sign-in.
  'GET /*': 'public',
  'GET /api/v1/session': 'public',
  'POST /api/v1/session/demo-user': 'public',
  'DELETE /api/v1/session/demo-user': 'public',

  'GET /api/v1/overview': 'viewer',
  'GET /api/v1/account': 'viewer',
  'GET /api/v1/replica': 'viewer',
  'GET /api/v1/events': 'viewer',
  'GET /api/v1/migrations': 'viewer',
  'GET /api/v1/metrics': 'viewer',
  'GET /api/v1/logs': 'viewer',
  'GET /api/v1/logs/:functionName/tail': 'viewer',

  'GET /api/v1/deploys': 'viewer',
  'GET /api/v1/deploys/:id': 'viewer',
  'GET /api/v1/deploys/:id/report': 'viewer',
  'POST /api/v1/deploys': 'ops',
  'POST /api/v1/deploys/:id/items/:itemId/sign-off': 'lead',
  'POST /api/v1/deploys/:id/items/:itemId/revoke': 'lead',

  // Rollbacks change production: ops only, preview too (it reads AWS on demand). Following a
  // job is read-only and everyone on call should see it.
  'POST /api/v1/rollbacks/preview': 'ops',
  'POST /api/v1/rollbacks': 'ops',
  'GET /api/v1/rollbacks': 'viewer',
  'GET /api/v1/rollbacks/:id': 'viewer',

  // Who changed what, with the parameters: for leads (who review and sign off) and ops, not
  // every on-call viewer.
  'GET /api/v1/audit': 'lead',

  'GET /api/v1/sandbox/state': 'viewer',
  'POST /api/v1/sandbox/migrations/apply': 'ops',
  'POST /api/v1/sandbox/faults': 'ops',
  'DELETE /api/v1/sandbox/faults': 'ops',
  'POST /api/v1/sandbox/clock/advance': 'ops',
  'POST /api/v1/sandbox/functions/:functionName/errors': 'ops',
  'POST /api/v1/sandbox/reset': 'ops',
};

export const accessRuleFile = 'apps/bff/src/platform/auth/access-rules.ts';

export function accessFor(method: string, url: string): Access | undefined {
  return accessRules[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}

export const isMutation = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
