import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, Ok, PickDemoUser, Session } from '@flightdeck/contracts';
import { BadInput } from '../errors/errors.js';
import { csrfOwner, secureCookies } from './auth-plugin.js';
import { demoUserCookie, demoUsers } from './demo-users.js';

/** Who you are, your role and the CSRF token for changes; in sandbox mode, the demo user picker. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ authMode: string }> = async (app, { authMode }) => {
  const sandbox = authMode === 'sandbox';
  app.access.declare({
    'GET /api/v1/session': 'public',
    ...(sandbox
      ? { 'POST /api/v1/session/demo-user': 'public', 'DELETE /api/v1/session/demo-user': 'public' }
      : {}),
  });

  app.get(
    '/api/v1/session',
    {
      schema: {
        summary: 'The signed-in person, their role and a CSRF token',
        tags: ['session'],
        response: { 200: Session },
      },
    },
    async (request, reply) => ({
      user: request.identity
        ? {
            name: request.identity.name,
            email: request.identity.email,
            role: request.role,
            via: request.identity.via,
          }
        : null,
      authMode,
      csrfToken: reply.generateCsrf({
        userInfo: csrfOwner(request),
        secure: secureCookies(request, app.config.mode),
      }),
      demoUsers: sandbox ? demoUsers.map(({ id, name, role }) => ({ id, name, role })) : [],
    }),
  );

  if (!sandbox) return;

  app.post(
    '/api/v1/session/demo-user',
    {
      schema: {
        summary: 'Sandbox only: act as one of the demo users',
        tags: ['session'],
        body: PickDemoUser,
        response: { 200: Ok, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const user = demoUsers.find((u) => u.id === request.body.user);
      if (!user) {
        throw new BadInput(
          'UnknownDemoUser',
          `No demo user "${request.body.user}"; pick one of ${demoUsers.map((u) => u.id).join(', ')}.`,
        );
      }
      reply.setCookie(demoUserCookie, user.id, {
        secure: secureCookies(request, app.config.mode),
        signed: true,
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
      });
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/v1/session/demo-user',
    { schema: { summary: 'Sandbox only: sign out', tags: ['session'], response: { 200: Ok } } },
    async (_request, reply) => {
      reply.clearCookie(demoUserCookie, { path: '/' });
      return { ok: true as const };
    },
  );
};
