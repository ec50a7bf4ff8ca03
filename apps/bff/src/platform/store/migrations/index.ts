import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as replicas from './0004_replicas.js';
import * as auditWords from './0011_audit_words.js';

/** The platform's own schema versions (idempotency keys, audit log, observed markers; replicas; audit rows in words). */
export const platformMigrations: Record<string, Migration> = {
  [foundation.name]: foundation,
  [replicas.name]: replicas,
  [auditWords.name]: auditWords,
};
