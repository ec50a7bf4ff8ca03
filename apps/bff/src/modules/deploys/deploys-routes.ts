import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CancelRequest,
  Deploy,
  DeployDetail,
  DeployItemParams,
  DeployList,
  DeployParams,
  EmptyBody,
  ErrorResponse,
  FinishRequest,
  MigrationStateRequest,
  PrepareDeployRequest,
  PreparePreview,
  RevokeRequest,
  SignOffRequest,
} from '@flightdeck/contracts';
import Type from 'typebox';
import type { DeployFeed } from './deploy-feed.js';
import type { DeployService } from './deploy-service.js';
import { reportPage } from './report-page.js';
import { NotFound } from '../../platform/errors/errors.js';
import { openEventStream } from '../../platform/sse/event-stream.js';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
};

const listSchema = {
  summary: 'Deploys, newest first',
  tags: ['deploys'],
  response: { 200: DeployList, ...errors },
};

/** Deploys: prepare (ops), read (viewer), sign off and revoke manual items (lead), the report. */
export const deployRoutes: FastifyPluginAsyncTypebox<{ deploys: DeployService; feed: DeployFeed }> = async (
  app,
  { deploys, feed },
) => {
  app.addHook('preHandler', app.redactBody('comment', 'reason'));
  const person = (request: { identity: { user: string } | null }) => request.identity!.user;
  const detailOr404 = async (id: string) => {
    const detail = await deploys.detail(id);
    if (!detail) throw new NotFound('DeployNotFound', `No deploy ${id}.`);
    return detail;
  };

  app.post(
    '/api/v1/deploys',
    {
      schema: {
        summary:
          'Prepare a deploy of a release: record the baseline and take the pre-migration snapshot; a deploy in its watch is closed as superseded',
        tags: ['deploys'],
        body: Type.Optional(PrepareDeployRequest),
        response: { 201: Deploy, ...errors, 503: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await deploys.prepare(person(request), request.body?.release, request.audit)),
  );
  const transitionSchema = (summary: string, body: Parameters<typeof Type.Optional>[0]) => ({
    schema: {
      summary,
      tags: ['deploys'],
      params: DeployParams,
      body,
      response: { 200: DeployDetail, ...errors },
    },
  });
  app.post(
    '/api/v1/deploys/:id/migration',
    transitionSchema(
      'Say the migration started or finished (a pipeline, with a token): migrating, then verifying',
      MigrationStateRequest,
    ),
    async (request) => {
      const { id } = request.params;
      const { state } = request.body as MigrationStateRequest;
      await deploys.transition(
        id,
        state === 'started' ? 'migration-started' : 'migration-finished',
        person(request),
        null,
        request.audit,
      );
      feed.poke(id);
      return detailOr404(id);
    },
  );
  app.post(
    '/api/v1/deploys/:id/released',
    transitionSchema(
      'Say the release went out: for a release without migrations the watch starts now',
      Type.Optional(EmptyBody),
    ),
    async (request) => {
      await deploys.transition(request.params.id, 'released', person(request), null, request.audit);
      feed.poke(request.params.id);
      return detailOr404(request.params.id);
    },
  );
  app.post(
    '/api/v1/deploys/:id/finish',
    transitionSchema('Close the watch early, with a note: done', FinishRequest),
    async (request) => {
      const { note } = request.body as FinishRequest;
      await deploys.transition(request.params.id, 'finish', person(request), note.trim(), request.audit);
      feed.poke(request.params.id);
      return detailOr404(request.params.id);
    },
  );
  app.post(
    '/api/v1/deploys/:id/cancel',
    transitionSchema(
      'Cancel a deploy prepared and not carried out, with a reason; its snapshot stays',
      CancelRequest,
    ),
    async (request) => {
      const { reason } = request.body as CancelRequest;
      await deploys.transition(request.params.id, 'cancel', person(request), reason.trim(), request.audit);
      feed.poke(request.params.id);
      return detailOr404(request.params.id);
    },
  );
  app.get('/api/v1/deploys', { schema: listSchema }, async () => deploys.list());
  app.get(
    '/api/v1/deploys/prepare-preview',
    {
      schema: {
        summary:
          'What preparing a deploy now would do: the pre-migration snapshot CreateDBSnapshot would create, of which instance',
        tags: ['deploys'],
        response: { 200: PreparePreview, ...errors },
      },
    },
    async () => deploys.preparePreview(),
  );
  app.get(
    '/api/v1/deploys/:id/events',
    {
      schema: {
        summary:
          'The deploy as it changes (SSE): an event `deploy` with its detail now, then on each change (what `flightdeck deploy wait` follows)',
        tags: ['deploys'],
        params: DeployParams,
        produces: ['text/event-stream'],
        response: { 404: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await detailOr404(id);
      const stream = openEventStream(request, reply);
      const unfollow = feed.follow(id, (detail) => stream.send('deploy', detail));
      stream.onClose(unfollow);
      if (request.raw.destroyed || reply.raw.destroyed) stream.end();
    },
  );
  app.get(
    '/api/v1/deploys/:id',
    {
      schema: {
        summary: 'A deploy with its checklist (state, evidence, age), verdict and timeline',
        tags: ['deploys'],
        params: DeployParams,
        response: { 200: DeployDetail, ...errors },
      },
    },
    async (request) => detailOr404(request.params.id),
  );
  app.post(
    '/api/v1/deploys/:id/items/:itemId/sign-off',
    {
      schema: {
        summary: 'Sign off a manual checklist item (not by the person who prepared the deploy)',
        tags: ['deploys'],
        params: DeployItemParams,
        body: SignOffRequest,
        response: { 200: DeployDetail, ...errors },
      },
    },
    async (request) => {
      const { id, itemId } = request.params;
      await deploys.signOff(id, itemId, person(request), request.body.comment.trim(), request.audit);
      feed.poke(id);
      return detailOr404(id);
    },
  );
  app.post(
    '/api/v1/deploys/:id/items/:itemId/revoke',
    {
      schema: {
        summary: 'Revoke the sign-off of a manual checklist item, with a reason',
        tags: ['deploys'],
        params: DeployItemParams,
        body: RevokeRequest,
        response: { 200: DeployDetail, ...errors },
      },
    },
    async (request) => {
      const { id, itemId } = request.params;
      await deploys.revoke(id, itemId, person(request), request.body.reason.trim(), request.audit);
      feed.poke(id);
      return detailOr404(id);
    },
  );
  app.get(
    '/api/v1/deploys/:id/report',
    {
      schema: {
        summary:
          'The deployment report: Markdown with Accept: text/markdown, a printable HTML page otherwise',
        tags: ['deploys'],
        params: DeployParams,
        produces: ['text/markdown', 'text/html'],
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const markdown = await deploys.report(request.params.id);
      if (markdown === null) throw new NotFound('DeployNotFound', `No deploy ${request.params.id}.`);
      const wantsMarkdown = (request.headers.accept ?? '').includes('text/markdown');
      if (wantsMarkdown)
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', `attachment; filename="deployment-report-${request.params.id}.md"`)
          .send(markdown);
      return reply.type('text/html; charset=utf-8').send(reportPage(markdown));
    },
  );
};
