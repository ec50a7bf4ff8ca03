import type { AccountCheck } from '@flightdeck/contracts';
import { redactSecrets } from '@flightdeck/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isMutation } from '../../platform/auth/access-rules.js';
import type { AccountIdentitySource } from './account-identity-source.js';

declare module 'fastify' {
  interface FastifyInstance {
    accountCheck: {
      current(): AccountCheck;
      check(): Promise<AccountCheck>;
      /** Another replica's check (the leader's), taken as this replica's own. */
      adopt(state: AccountCheck): void;
      onChange(listener: (state: AccountCheck) => void): () => void;
    };
  }
}

export interface AccountCheckOptions {
  source: AccountIdentitySource;
  region: string;
  expectedAccount: string | null;
  intervalMs: number;
  /** Run on ready and every interval (tests may call check() themselves). */
  autoStart: boolean;
  /** Everything that polls or acts on AWS: stopped while the account is the wrong one. */
  stopCollectors(): Promise<void>;
  startCollectors(): void;
}

/**
 * Proves which account the credentials reach (STS GetCallerIdentity at start and every few
 * minutes). When config names `aws.expectedAccountId` and another account answers, nothing of
 * that account is read or changed: collectors stop and every change is refused with 503.
 */
export const accountCheckPlugin = fp<AccountCheckOptions>(
  async (app, options) => {
    let state: AccountCheck = {
      status: 'checking',
      account: null,
      expectedAccount: options.expectedAccount,
      region: options.region,
      role: null,
      arn: null,
      checkedAt: null,
      message: null,
    };
    let stopped = false;
    const listeners = new Set<(state: AccountCheck) => void>();

    async function check(): Promise<AccountCheck> {
      const checkedAt = new Date().toISOString();
      try {
        const identity = await options.source.fetch();
        const mismatch = options.expectedAccount !== null && identity.account !== options.expectedAccount;
        state = {
          ...state,
          ...identity,
          checkedAt,
          status: mismatch ? 'mismatch' : 'ok',
          message: mismatch
            ? `These credentials reach AWS account ${identity.account} (${identity.arn}), not ${options.expectedAccount} (aws.expectedAccountId). Collectors are stopped and changes refused until the credentials or the config are fixed.`
            : null,
        };
      } catch (error) {
        state = {
          ...state,
          checkedAt,
          status: 'error',
          message: `STS GetCallerIdentity failed: ${redactSecrets((error as Error).message)}`,
        };
      }
      if (state.status === 'mismatch' && !stopped) {
        stopped = true;
        app.log.error(state.message);
        await options.stopCollectors();
      } else if (state.status === 'ok' && stopped) {
        stopped = false;
        options.startCollectors();
      }
      for (const listener of listeners) listener(state);
      return state;
    }

    app.decorate('accountCheck', {
      current: () => state,
      check,
      adopt: (adopted: AccountCheck) => {
        state = adopted;
        for (const listener of listeners) listener(state);
      },
      onChange: (listener: (state: AccountCheck) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });

    let timer: NodeJS.Timeout | null = null;
    if (options.autoStart) {
      app.addHook('onReady', async () => {
        await check();
        timer = setInterval(() => void check(), options.intervalMs);
        timer.unref();
      });
    }
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });

    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
      if (state.status !== 'mismatch' || !isMutation(request.method)) return done();
      reply.code(503).send({ error: { code: 'WrongAccount', message: state.message } });
    });

    app.get(
      '/api/v1/account',
      {
        schema: { summary: 'Which AWS account, region and role Flightdeck is looking at', tags: ['health'] },
      },
      async () => state,
    );
  },
  { name: 'flightdeck-account-check' },
);
