// Who leads, and what only the leader does. Modules declare their leader duties here
// (`app.leadership.duty({name, start, stop})`); the duties start when this replica leads and stop
// when it stops leading, so only one replica polls AWS, the target database and the versions folder.
import fp from 'fastify-plugin';
import { DemandServer, type DemandHandler, type LiveSharing } from '../replication/demand-server.js';
import type { DemandKind } from '../replication/live-demands.js';
import { LiveDemands } from '../replication/live-demands.js';
import { PublishedStates } from '../replication/published-states.js';
import { StateReplication, type ReplicatedState } from '../replication/state-replication.js';
import { runWhileLeading, type LeaderDuty } from './leader-duties.js';
import type { Leadership } from './leader-election.js';
import { replicaRoutes } from './replica-routes.js';

export interface LeadershipApi {
  readonly replicaId: string;
  readonly leading: boolean;
  leader: Leadership['leader'];
  onChange: Leadership['onChange'];
  /** Something only the leader does; started in the order declared, stopped in reverse. */
  duty(duty: LeaderDuty): void;
}

export interface ReplicationApi {
  /**
   * Where other replicas can exist (a PostgreSQL store): what modules need to share on-demand
   * data through the leader. Null on the embedded store, where this process is the only one.
   */
  readonly sharing: LiveSharing | null;
  /** A state the leader polls and followers adopt (a collector, the account check). */
  // Each target has its own state type; the store holds them all as JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  share(target: ReplicatedState<any>): void;
  /** How the leader serves followers' demands of one kind (a metrics window, a tail). */
  serveDemands(kind: DemandKind, handler: DemandHandler): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    leadership: LeadershipApi;
    replication: ReplicationApi;
  }
}

export interface LeadershipOptions {
  leadership: Leadership;
  /** The store server's URL when replicas share one; absent on the embedded store. */
  storeUrl: string | null;
  /** How often a follower re-reads every published state, in case a notification was lost. */
  replicationFallbackMs: number;
}

const beginnings = new WeakMap<LeadershipApi, () => Promise<void>>();

export const leadershipPlugin = fp<LeadershipOptions>(
  async (app, { leadership, storeUrl, replicationFallbackMs }) => {
    const duties: LeaderDuty[] = [];
    const log = {
      info: (message: string) => app.log.info(message),
      warn: (message: string) => app.log.warn(message),
    };
    app.decorate('leadership', {
      get replicaId() {
        return leadership.replicaId;
      },
      get leading() {
        return leadership.leading;
      },
      leader: () => leadership.leader(),
      onChange: (listener) => leadership.onChange(listener),
      duty: (duty) => void duties.push(duty),
    } satisfies LeadershipApi);

    // Published states, shared windows and tails exist only where there can be other replicas.
    const states = storeUrl ? new PublishedStates(app.store.db, leadership) : null;
    const sharing: LiveSharing | null = states
      ? { leadership, states, demands: new LiveDemands(app.store.db), log }
      : null;
    const replication =
      states && storeUrl
        ? new StateReplication(states, leadership, storeUrl, replicationFallbackMs, log)
        : null;
    const demandServer = sharing ? new DemandServer(sharing, 1_000, 24 * 60 * 60_000) : null;
    app.decorate('replication', {
      sharing,
      share: (target) => replication?.add(target),
      serveDemands: (kind, handler) => demandServer?.handle(kind, handler),
    } satisfies ReplicationApi);

    runWhileLeading(leadership, duties, log);
    beginnings.set(app.leadership, async () => {
      if (demandServer)
        duties.push({
          name: 'other replicas’ windows and tails',
          start: () => demandServer.start(),
          stop: () => demandServer.stop(),
        });
      await replication?.start();
      await leadership.start();
    });
    app.addHook('onClose', async () => {
      await leadership.stop();
      await replication?.stop();
      for (const duty of [...duties].reverse()) await duty.stop();
    });

    await app.register(replicaRoutes, { leadership });
  },
  { name: 'flightdeck-leadership', dependencies: ['flightdeck-store', 'flightdeck-auth'] },
);

/**
 * Registered after every module: on ready (after the modules' own onReady hooks), replication
 * starts and the replica begins to lead or follow, starting the duties the modules declared.
 */
export const beginLeading = fp(
  async (app) => {
    app.addHook('onReady', async () => beginnings.get(app.leadership)?.());
  },
  { name: 'flightdeck-begin-leading', dependencies: ['flightdeck-leadership'] },
);
