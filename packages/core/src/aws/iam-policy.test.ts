// The policy Flightdeck prints must allow every call the story makes (prepare, restore, alias
// rollback, the dashboard's reads), and nothing aimed elsewhere.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  deniedRequests,
  flightdeckAwsCalls,
  iamPolicy,
  iamRequestsOf,
  iamWildcardMatch,
  policyAllows,
  type AwsCallRecord,
  type FlightdeckAwsResources,
} from './iam-policy.js';
import { preMigrationSnapshotIdentifier, restoredInstanceIdentifier } from './resource-names.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const worker = 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot';
const story: FlightdeckAwsResources = {
  region: 'us-east-1',
  accountId: '123456789012',
  dbInstance: 'prod-credmate-db',
  functions: [
    { name: backend, alias: 'prod' },
    { name: worker, alias: 'prod' },
  ],
  sqlFunction: 'credmate-rds-query',
};
const policy = iamPolicy(story);
const jobId = '3f2a9c1e-5b7d-4e21-9a0c-1d2e3f4a5b6c';
const snapshot = preMigrationSnapshotIdentifier(story.dbInstance, '2026-02-03T06:29:34Z');
const call = (service: AwsCallRecord['service'], operation: string, input: Record<string, unknown> = {}) => ({
  service,
  operation,
  input,
});

/** The story's calls, with the parameters the BFF sends. */
const storyCalls: Record<string, AwsCallRecord[]> = {
  reads: [
    call('STS', 'GetCallerIdentity'),
    call('CloudWatch', 'GetMetricData', { MetricDataQueries: [] }),
    ...[backend, worker].flatMap((fn) => [
      call('CloudWatchLogs', 'FilterLogEvents', {
        logGroupName: `/aws/lambda/${fn}`,
        filterPattern: '?ERROR',
      }),
      call('Lambda', 'GetAlias', { FunctionName: fn, Name: 'prod' }),
      call('Lambda', 'ListVersionsByFunction', { FunctionName: fn }),
    ]),
    call('RDS', 'DescribeDBInstances', { DBInstanceIdentifier: 'prod-credmate-db' }),
    call('RDS', 'DescribeDBSnapshots', { DBInstanceIdentifier: 'prod-credmate-db' }),
    call('Lambda', 'Invoke', { FunctionName: 'credmate-rds-query', Payload: '{}' }),
  ],
  'prepare snapshot': [
    call('RDS', 'CreateDBSnapshot', {
      DBSnapshotIdentifier: snapshot,
      DBInstanceIdentifier: 'prod-credmate-db',
      Tags: [{ Key: 'flightdeck:purpose', Value: 'pre-migration' }],
    }),
    call('RDS', 'DescribeDBSnapshots', { DBInstanceIdentifier: 'prod-credmate-db' }),
  ],
  restore: [
    call('RDS', 'DescribeDBInstances', { DBInstanceIdentifier: 'prod-credmate-db' }),
    call('RDS', 'RestoreDBInstanceFromDBSnapshot', {
      DBInstanceIdentifier: restoredInstanceIdentifier('prod-credmate-db', jobId),
      DBSnapshotIdentifier: snapshot,
      DBInstanceClass: 'db.t4g.small',
      DBSubnetGroupName: 'credmate-private',
      VpcSecurityGroupIds: ['sg-0a1b2c3d'],
      DBParameterGroupName: 'default.postgres15',
      MultiAZ: false,
      PubliclyAccessible: false,
    }),
    call('RDS', 'DescribeDBInstances', {
      DBInstanceIdentifier: restoredInstanceIdentifier('prod-credmate-db', jobId),
    }),
  ],
  'alias rollback': [backend, worker].flatMap((fn) => [
    call('Lambda', 'GetAlias', { FunctionName: fn, Name: 'prod' }),
    call('Lambda', 'UpdateAlias', { FunctionName: fn, Name: 'prod', FunctionVersion: '13', RevisionId: 'r' }),
  ]),
};

describe('iamPolicy for the story', () => {
  it.each(Object.entries(storyCalls))('allows every call of %s', (_, calls) => {
    for (const recorded of calls)
      expect(deniedRequests(policy, recorded, story), recorded.operation).toEqual([]);
  });

  it('grants each action of every call Flightdeck makes, and no other action', () => {
    const granted = new Set(
      policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
    );
    expect(granted).toEqual(new Set(flightdeckAwsCalls.flatMap((c) => c.actions)));
    expect([...granted].some((a) => a.includes('*'))).toBe(false);
  });

  it.each<[string, AwsCallRecord]>([
    ['another instance read', call('RDS', 'DescribeDBInstances', { DBInstanceIdentifier: 'billing-db' })],
    [
      'a snapshot of another instance',
      call('RDS', 'CreateDBSnapshot', {
        DBSnapshotIdentifier: preMigrationSnapshotIdentifier('billing-db', '2026-02-03T06:29:34Z'),
        DBInstanceIdentifier: 'billing-db',
      }),
    ],
    [
      'a snapshot of the instance under a name outside <instance>-pre-migration-*',
      call('RDS', 'CreateDBSnapshot', {
        DBSnapshotIdentifier: 'manual-copy',
        DBInstanceIdentifier: 'prod-credmate-db',
      }),
    ],
    [
      'a restore over the production instance itself',
      call('RDS', 'RestoreDBInstanceFromDBSnapshot', {
        DBInstanceIdentifier: 'prod-credmate-db',
        DBSnapshotIdentifier: snapshot,
      }),
    ],
    [
      'a restore named the old way, <instance>-rb-<job>',
      call('RDS', 'RestoreDBInstanceFromDBSnapshot', {
        DBInstanceIdentifier: 'prod-credmate-db-rb-3f2a9c1e',
        DBSnapshotIdentifier: snapshot,
      }),
    ],
    [
      'a restore of another instance into a restored name',
      call('RDS', 'RestoreDBInstanceFromDBSnapshot', {
        DBInstanceIdentifier: restoredInstanceIdentifier('billing-db', jobId),
        DBSnapshotIdentifier: preMigrationSnapshotIdentifier('billing-db', '2026-02-03T06:29:34Z'),
      }),
    ],
    [
      'another alias of a configured function',
      call('Lambda', 'UpdateAlias', { FunctionName: backend, Name: 'staging' }),
    ],
    [
      'another function’s alias',
      call('Lambda', 'UpdateAlias', { FunctionName: 'billing-api', Name: 'prod' }),
    ],
    ['invoking an application function', call('Lambda', 'Invoke', { FunctionName: backend })],
    [
      'another log group',
      call('CloudWatchLogs', 'FilterLogEvents', { logGroupName: '/aws/lambda/billing-api' }),
    ],
    ['another account', call('RDS', 'DescribeDBInstances', { DBInstanceIdentifier: 'prod-credmate-db' })],
  ])('refuses %s', (what, recorded) => {
    const elsewhere = what === 'another account' ? { ...story, accountId: '999999999999' } : story;
    expect(deniedRequests(policy, recorded, elsewhere)).not.toEqual([]);
  });

  it('grants Invoke only when a SQL function is configured', () => {
    const direct = iamPolicy({ ...story, sqlFunction: null });
    expect(direct.Statement.map((s) => s.Sid)).not.toContain('ReadOnlySqlFunction');
    expect(
      deniedRequests(direct, call('Lambda', 'Invoke', { FunctionName: 'credmate-rds-query' }), story),
    ).not.toEqual([]);
  });

  it('names real ARNs: the snapshot pattern, the restore target and the log groups', () => {
    const resources = (sid: string) => policy.Statement.find((s) => s.Sid === sid)!.Resource;
    expect(resources('PreMigrationSnapshot')).toEqual([
      'arn:aws:rds:us-east-1:123456789012:db:prod-credmate-db',
      'arn:aws:rds:us-east-1:123456789012:snapshot:prod-credmate-db-pre-migration-*',
    ]);
    expect(resources('RestoreRollback')).toContain(
      'arn:aws:rds:us-east-1:123456789012:db:prod-credmate-db-restored-*',
    );
    expect(resources('LogReads')).toEqual([
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${backend}:*`,
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${worker}:*`,
    ]);
    expect(
      iamPolicy({ ...story, partition: 'aws-cn', region: 'cn-north-1' }).Statement.find(
        (s) => s.Sid === 'LogReads',
      )!.Resource,
    ).toContain(`arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/lambda/${backend}:*`);
  });

  it('refuses to map a call Flightdeck does not make, so the list cannot silently fall behind', () => {
    expect(() => iamRequestsOf(call('Lambda', 'DeleteFunction', { FunctionName: backend }), story)).toThrow(
      /not a call Flightdeck makes/,
    );
  });
});

describe('policyAllows and iamWildcardMatch', () => {
  it('matches * (any run, none included) and ? (one character), resources with case', () => {
    expect(iamWildcardMatch('arn:aws:rds:*:1:db:a-*', 'arn:aws:rds:eu-west-1:1:db:a-restored-x')).toBe(true);
    expect(iamWildcardMatch('db:a-*', 'db:a-')).toBe(true);
    expect(iamWildcardMatch('db:a-*', 'db:a')).toBe(false);
    expect(iamWildcardMatch('db:a?c', 'db:abc')).toBe(true);
    expect(iamWildcardMatch('db:a?c', 'db:ac')).toBe(false);
    expect(iamWildcardMatch('*x*y', 'axbxcy')).toBe(true);
    expect(iamWildcardMatch('db:A', 'db:a')).toBe(false);
    expect(iamWildcardMatch('rds:describe*', 'rds:DescribeDBInstances', true)).toBe(true);
  });

  it('lets an explicit Deny win over any Allow', () => {
    const denied = {
      ...policy,
      Statement: [
        ...policy.Statement,
        { Sid: 'NoProdReads', Effect: 'Deny' as const, Action: 'rds:Describe*', Resource: '*:db:prod-*' },
      ],
    };
    const arn = 'arn:aws:rds:us-east-1:123456789012:db:prod-credmate-db';
    expect(policyAllows(policy, 'rds:DescribeDBInstances', arn)).toBe(true);
    expect(policyAllows(denied, 'rds:DescribeDBInstances', arn)).toBe(false);
  });
});

describe('docs/deploying.md', () => {
  it('prints the policy iamPolicy generates for its example config', () => {
    const markdown = readFileSync(
      fileURLToPath(new URL('../../../../docs/deploying.md', import.meta.url)),
      'utf8',
    );
    const section = markdown.slice(markdown.indexOf('## IAM policy'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(json, 'a JSON block under "## IAM policy"').toBeDefined();
    expect(JSON.parse(json!)).toEqual(
      iamPolicy({
        region: 'eu-west-1',
        accountId: '210987654321',
        dbInstance: 'orders-db',
        functions: [
          { name: 'orders-api', alias: 'live' },
          { name: 'orders-worker', alias: 'live' },
        ],
        sqlFunction: 'orders-rds-query',
      }),
    );
  });
});
