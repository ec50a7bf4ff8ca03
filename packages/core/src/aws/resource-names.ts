// The names Flightdeck gives what it creates in RDS, in one place, so that the restore job, the
// report's restore command and the IAM policy (iam-policy.ts) can never disagree: the policy
// allows db:<instance>-restored-* and snapshot:<instance>-pre-migration-*, and every name made
// here falls under those patterns.

/** RDS DB instance identifiers: 1-63 characters. Snapshot identifiers may have 255. */
export const rdsInstanceIdentifierMax = 63;
export const rdsSnapshotIdentifierMax = 255;

/**
 * RDS's identifier rules: letters, digits and hyphens; starts with a letter; no two hyphens in a
 * row; does not end with a hyphen; 1 to `maxLength` characters.
 */
export function isValidRdsIdentifier(identifier: string, maxLength = rdsInstanceIdentifierMax): boolean {
  return (
    identifier.length >= 1 &&
    identifier.length <= maxLength &&
    /^[A-Za-z][A-Za-z0-9-]*$/.test(identifier) &&
    !identifier.includes('--') &&
    !identifier.endsWith('-')
  );
}

const restoredMarker = '-restored';
const jobSuffixLength = 8;

/**
 * The instance part of every restored name: `<instance>-restored`, the instance cut so that
 * `-<8-character job suffix>` still fits in 63 characters. RDS keeps identifiers in lower case,
 * and so do its ARNs.
 */
export function restoredInstancePrefix(instance: string): string {
  const room = rdsInstanceIdentifierMax - restoredMarker.length - 1 - jobSuffixLength;
  const base = instance.toLowerCase().slice(0, room).replace(/-+$/, '');
  return `${base}${restoredMarker}`;
}

/** FNV-1a, 32 bits: a short, stable digest of any job id. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Eight characters that stand for the job: the start of its id when the id is a UUID (so the
 * name leads back to the job), otherwise a digest of the whole id (so two ids never share a
 * suffix by sharing a prefix). Always the same for the same job: a resumed job finds its
 * instance instead of restoring a second one.
 */
export function restoreJobSuffix(jobId: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(jobId))
    return jobId.slice(0, jobSuffixLength).toLowerCase();
  return fnv1a(jobId).toString(16).padStart(jobSuffixLength, '0');
}

/**
 * The new instance an RDS restore creates: `<instance>-restored-<job suffix>`, e.g.
 * `prod-credmate-db-restored-3f2a9c1e`. A valid RDS identifier for any valid instance name, and
 * always inside the IAM policy's `db:<instance>-restored-*`.
 */
export function restoredInstanceIdentifier(instance: string, jobId: string): string {
  return `${restoredInstancePrefix(instance)}-${restoreJobSuffix(jobId)}`;
}

const preMigrationMarker = '-pre-migration';

/** `<instance>-pre-migration`: every pre-migration snapshot's name starts with it. */
export function preMigrationSnapshotPrefix(instance: string): string {
  return `${instance.toLowerCase()}${preMigrationMarker}`;
}

/** `<instance>-pre-migration-<YYYYMMDD-HHMMSS>` in UTC, as the story named its snapshot. */
export function preMigrationSnapshotIdentifier(instance: string, at: string | Date): string {
  const iso = typeof at === 'string' ? new Date(at).toISOString() : at.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${preMigrationSnapshotPrefix(instance)}-${stamp}`;
}
