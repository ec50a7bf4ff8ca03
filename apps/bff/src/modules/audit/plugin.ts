// The audit log's page and export: who changed what, filtered by actor, action and time, as JSON
// or CSV. The rows themselves are written by the platform's audit trail, for every change.
import fp from 'fastify-plugin';
import { auditRoutes } from './audit-routes.js';

export const auditModule = fp(
  async (app) => {
    app.access.declare({
      // Who changed what, with the parameters: for leads (who review and sign off) and ops, not
      // every on-call viewer.
      'GET /api/v1/audit': 'lead',
    });
    await app.register(auditRoutes, { audit: app.auditLog });
  },
  { name: 'flightdeck-audit', dependencies: ['flightdeck-platform'] },
);
