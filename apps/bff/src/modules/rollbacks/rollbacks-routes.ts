import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  EmptyBody,
  RollbackParams,
  ErrorResponse,
  RollbackConflict,
  RollbackJob,
  RollbackPlan,
  RollbackPreviewRequest,
  RollbackRequest,
  RollbacksOverview,
} from '@flightdeck/contracts';
import { NotFound } from '../../platform/errors/errors.js';
import type { RollbackService } from './rollback-service.js';

const refusals = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: RollbackConflict,
  409: RollbackConflict,
};

/** Rollbacks: preview the exact plan, start one (ops), follow its job. */
export const rollbackRoutes: FastifyPluginAsyncTypebox<{
  rollbacks: RollbackService;
  /** The upstream's clock (scenario time in the sandbox), for the cut-over's time. */
  now: () => Date;
}> = async (app, { rollbacks, now }) => {
  app.post(
    '/api/v1/rollbacks/preview',
    {
      schema: {
        summary:
          'The exact plan of a rollback: API calls and parameters, current -> target, duration, safe order',
        tags: ['rollbacks'],
        body: RollbackPreviewRequest,
        response: { 200: RollbackPlan, ...refusals },
      },
    },
    async (request) => rollbacks.preview(request.body),
  );

  app.post(
    '/api/v1/rollbacks',
    {
      schema: {
        summary:
          'Start a rollback to the deploy baseline (typed confirmation, Idempotency-Key). 202 with the new job; 200 with the job already doing the same; 409 when something is in the way',
        tags: ['rollbacks'],
        body: RollbackRequest,
        response: { 200: RollbackJob, 202: RollbackJob, ...refusals },
      },
    },
    async (request, reply) => {
      const { outcome, job } = await rollbacks.request(
        request.body,
        { user: request.identity?.user ?? 'unknown' },
        String(request.headers['idempotency-key']),
        request.audit,
      );
      return reply.code(outcome === 'created' ? 202 : 200).send(job);
    },
  );

  app.get(
    '/api/v1/rollbacks',
    {
      schema: {
        summary: 'The deploy rollbacks target, what can be rolled back, and its recent rollback jobs',
        tags: ['rollbacks'],
        response: { 200: RollbacksOverview, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    () => rollbacks.overview(),
  );

  app.get(
    '/api/v1/rollbacks/:id',
    {
      schema: {
        summary: 'A rollback job: its plan, steps, state and verification',
        tags: ['rollbacks'],
        params: RollbackParams,
        response: { 200: RollbackJob, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const job = await rollbacks.get(request.params.id);
      if (!job) throw new NotFound('NotFound', `There is no rollback ${request.params.id}.`);
      return job;
    },
  );

  app.post(
    '/api/v1/rollbacks/:id/cut-over',
    {
      schema: {
        summary:
          'RDS: mark the cut-over to the restored instance done (the application now uses it); the rollback then succeeds',
        tags: ['rollbacks'],
        params: RollbackParams,
        body: Type.Optional(EmptyBody),
        response: { 200: RollbackJob, 400: ErrorResponse, 404: ErrorResponse, 409: RollbackConflict },
      },
    },
    async (request) =>
      rollbacks.markCutOver(
        request.params.id,
        { user: request.identity?.user ?? 'unknown' },
        now().toISOString(),
        request.audit,
      ),
  );
};
