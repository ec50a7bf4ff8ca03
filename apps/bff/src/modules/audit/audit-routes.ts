import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditList, AuditQuery, ErrorResponse } from '@flightdeck/contracts';
import { auditCsv } from './audit-csv.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { BadInput } from '../../platform/errors/errors.js';

/** The audit log: filters by actor, action and time; JSON or CSV (?format=csv) for export. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        summary: 'Audit rows (newest first): who, when, what, parameters, result, correlation id',
        tags: ['audit'],
        querystring: AuditQuery,
        response: {
          200: AuditList,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      if (filter.since && filter.until && filter.since > filter.until)
        throw new BadInput('BadRange', '`since` is after `until`: swap them or widen the range.');
      const entries = await audit.list(filter);
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="flightdeck-audit-${stamp}.csv"`)
          .send(auditCsv(entries) as never);
      if (format === 'json')
        reply.header('content-disposition', `attachment; filename="flightdeck-audit-${stamp}.json"`);
      return { entries };
    },
  );
};
