import type { AccountCheck } from '@flightdeck/contracts';
import { redactSecrets } from '@flightdeck/core';
import fp from 'fastify-plugin';
import { AccountIdentitySource } from './account-identity-source.js';
import { Unavailable } from '../../platform/errors/errors.js';

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

/**
 * Proves which account the credentials reach (STS GetCallerIdentity at start and every few
 * minutes). When config names `aws.expectedAccountId` and another account answers, nothing of
 * that account is read or changed: collectors stop and every change is refused with 503.
 */
export const accountModule = fp(
  async (app) => {
    const config = app.config;
    const options = {
      source: new AccountIdentitySource(app.upstreams.aws.sts),
      region: config.aws.region,
      expectedAccount: config.aws.expectedAccountId ?? null,
    };
    // Everything that polls or acts on AWS: stopped while the account is the wrong one.
    const stopCollectors = async () => {
      await Promise.all([
        app.sources.stop(),
        app.metricWindows.stop(),
        app.logTails.stop(),
        app.deployMarkers.stop(),
        app.migrationHistory.stop(),
      ]);
    };
    const startCollectors = () => {
      app.sources.start();
      app.deployMarkers.start();
      app.migrationHistory.start();
    };
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
        await stopCollectors();
      } else if (state.status === 'ok' && stopped) {
        stopped = false;
        startCollectors();
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
    // The leader checks; followers adopt its result (published like a source).
    app.leadership.duty({
      name: 'the account check',
      start: async () => {
        await check();
        timer = setInterval(() => void check(), config.intervals.accountMs);
        timer.unref();
      },
      stop: () => {
        if (timer) clearInterval(timer);
        timer = null;
      },
    });
    app.replication.share({
      name: 'account',
      adopt: (adopted: AccountCheck) => app.accountCheck.adopt(adopted),
      onChange: (listener: (state: AccountCheck) => void) => app.accountCheck.onChange(listener),
    });
    app.access.declare({ 'GET /api/v1/account': 'viewer' });

    // Every change, on every route whenever registered; reads are not held up by a hook of it.
    app.gateChanges(() =>
      state.status !== 'mismatch'
        ? null
        : new Unavailable('WrongAccount', state.message ?? 'The credentials reach the wrong AWS account.'),
    );

    app.get(
      '/api/v1/account',
      {
        schema: { summary: 'Which AWS account, region and role Flightdeck is looking at', tags: ['health'] },
      },
      async () => state,
    );
  },
  {
    name: 'flightdeck-account',
    dependencies: ['flightdeck-overview', 'flightdeck-metrics', 'flightdeck-logs', 'flightdeck-migrations'],
  },
);
