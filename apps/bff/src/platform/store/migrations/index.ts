import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as deploys from '../../../modules/deploys/store/0002_deploys.js';
import * as rollbacks from '../../../modules/rollbacks/store/0003_rollbacks.js';
import * as replicas from './0004_replicas.js';

/** Every schema version, in order; the code knows these and no others (a newer store is refused). */
export const storeMigrations: Record<string, Migration> = {
  [foundation.name]: foundation,
  [deploys.name]: deploys,
  [rollbacks.name]: rollbacks,
  [replicas.name]: replicas,
};
