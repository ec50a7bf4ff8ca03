/**
 * The story the sandbox replays (shared/story/deployment-report.md): names, revisions,
 * functions and the database, as the team found them before the deploy.
 */

export const storyNames = {
  dbInstance: 'prod-credmate-db',
  snapshot: 'prod-credmate-pre-migration-20260203-062934',
  backendFunction: 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx',
  workerFunction: 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot',
  sqlFunction: 'credmate-rds-query',
  alias: 'prod',
  currentRevision: '20260115_0200',
  headRevision: '20260131_0000',
} as const satisfies {
  dbInstance: 'prod-credmate-db';
  snapshot: 'prod-credmate-pre-migration-20260203-062934';
  backendFunction: 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
  workerFunction: 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot';
  sqlFunction: string;
  alias: 'prod';
  currentRevision: '20260115_0200';
  headRevision: '20260131_0000';
};

export const accountId = '123456789012';
export const region = 'us-east-1';

/** The Alembic history, oldest first; the file alembic/sql/<revision>.sql holds each one's SQL. */
export const revisionChain = [
  '4b2f1e8c9a01',
  '9c3d7a5b2e4f',
  '20251110_1400',
  '20251218_0900',
  '20260115_0200',
  '20260115_0300',
  '20260127_0100',
  '7702d353e5b8',
  '20260131_0000',
] as const;

/** The table the notification preferences endpoint reads; missing until 7702d353e5b8 is applied. */
export const notificationPreferencesTable = 'coordinator_notification_preferences';

const hour = 3_600_000;
const day = 24 * hour;

/** The backend release that added the notification preferences endpoint went out this long before the story starts. */
export const lastReleaseAgeMs = 3 * day + 4 * hour;

export type TrafficProfile = 'backend' | 'worker' | 'on-demand';

export interface FunctionStory {
  name: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  codeSizeBytes: number;
  role: string;
  description: string;
  traffic: TrafficProfile;
  /** Descriptions of the published versions 1..N, oldest first; version N is the last release. */
  versionNotes: readonly string[];
  /** Days between consecutive releases before the last one. */
  releaseEveryDays: number;
  /** The first version whose code calls the notification preferences table. */
  notificationPreferencesSince?: number;
}

export const functionStories: readonly FunctionStory[] = [
  {
    name: storyNames.backendFunction,
    runtime: 'python3.12',
    handler: 'app.main.handler',
    memoryMb: 512,
    timeoutSeconds: 30,
    codeSizeBytes: 18_734_112,
    role: `arn:aws:iam::${accountId}:role/credmate-lambda-prod-BackendApiFunctionRole-1RZ0Q8XJ3L2KD`,
    description: 'CredentialMate API (FastAPI behind API Gateway)',
    traffic: 'backend',
    versionNotes: [
      'initial API: organizations, users, auth',
      'providers CRUD',
      'licenses and expiration dates',
      'license expiration dashboard',
      'CSV provider import',
      'coordinator actions log',
      'fix: timezone of expiration reminders',
      'coordinator messaging (conversations, messages)',
      'provider search by NPI',
      'perf: dashboard summary query',
      'in-app notifications',
      'fix: pagination of /messages',
      'provider credentials vault (needs 20260115_0300)',
      'notification preferences, stage tracking, BlueShift fields (needs 20260131_0000)',
    ],
    releaseEveryDays: 9,
    notificationPreferencesSince: 14,
  },
  {
    name: storyNames.workerFunction,
    runtime: 'python3.12',
    handler: 'worker.main.handler',
    memoryMb: 1024,
    timeoutSeconds: 900,
    codeSizeBytes: 17_902_450,
    role: `arn:aws:iam::${accountId}:role/credmate-lambda-prod-WorkerFunctionRole-8XKQ2M1VD0PZ`,
    description: 'CredentialMate background jobs (SQS + EventBridge schedules)',
    traffic: 'worker',
    versionNotes: [
      'expiration reminder emails',
      'nightly license status sync',
      'document upload processing',
      'fix: retry on SES throttling',
      'dashboard cache refresh',
      'coordinator digest emails',
      'notification fan-out',
      'provider import jobs',
      'BlueShift import job (needs 20260131_0000)',
    ],
    releaseEveryDays: 14,
  },
  {
    name: storyNames.sqlFunction,
    runtime: 'python3.12',
    handler: 'rds_query.handler',
    memoryMb: 256,
    timeoutSeconds: 30,
    codeSizeBytes: 4_211_873,
    role: `arn:aws:iam::${accountId}:role/credmate-rds-query-role`,
    description: 'Read-only SQL against prod-credmate-db from inside the VPC (tools/rds-query)',
    traffic: 'on-demand',
    versionNotes: ['read-only queries', 'row limit and JSON-safe values'],
    releaseEveryDays: 30,
  },
];

/** The manual snapshot the team took before migrating (its time is in its name). */
export const preMigrationSnapshotCreatedAt = '2026-02-03T06:29:34.000Z';

/** Daily automated backups in the 03:10 UTC window, the last few kept (named rds:<instance>-<date>-03-10). */
export const automatedBackups = { count: 2, utcHour: 3, utcMinute: 10 } as const;

export const databaseStory = {
  instanceClass: 'db.t3.medium',
  engine: 'postgres',
  engineVersion: '15.7',
  allocatedStorageGb: 20,
  masterUsername: 'credmate_admin',
  dbName: 'credmate',
  availabilityZone: 'us-east-1a',
  instanceCreateTime: '2025-08-18T13:40:12.000Z',
  vpcId: 'vpc-0a3c5e7f9b1d2e4f6',
  securityGroupId: 'sg-0c1d2e3f4a5b6c7d8',
  subnetGroup: 'credmate-prod-private',
  parameterGroup: 'default.postgres15',
  dbiResourceId: 'db-7K3QXWZ2N5RBYJ4M6HT8ACLVEU',
} as const;

/**
 * The story deploy's baseline, as Flightdeck records it when the deploy is prepared: each alias on
 * the release before the last (a published version, not the story's `$LATEST`), the revision the
 * database sat at, and the pre-migration snapshot.
 */
export function storyBaseline() {
  return {
    databaseRevision: storyNames.currentRevision as string | null,
    codeHead: storyNames.headRevision as string | null,
    aliases: functionStories
      .filter((f) => f.traffic !== 'on-demand')
      .map((f) => ({
        functionName: f.name,
        alias: storyNames.alias as string,
        version: String(f.versionNotes.length - 1),
      })),
    frontendRef: 'frontend-v2026.02.02' as string | null,
    snapshot: { identifier: storyNames.snapshot, instance: storyNames.dbInstance } as {
      identifier: string;
      instance: string;
    } | null,
  };
}
