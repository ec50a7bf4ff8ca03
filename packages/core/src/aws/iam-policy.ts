// The least-privilege IAM policy for the configured resources, and a matcher with IAM's
// wildcard rules, so a test can hold every AWS call Flightdeck makes against the policy it
// prints. The calls are listed once (flightdeckAwsCalls): adding one there is what makes the
// policy grant it.
import { preMigrationSnapshotPrefix, restoredInstancePrefix } from './resource-names.js';

export interface FlightdeckAwsResources {
  /** aws, aws-cn, aws-us-gov; default aws. */
  partition?: string;
  region: string;
  accountId: string;
  dbInstance: string;
  functions: { name: string; alias: string }[];
  /** The read-only SQL function, when the database is read through Lambda. */
  sqlFunction?: string | null;
}

export interface IamStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** One SDK call as Flightdeck sends it: the operation and the request's identifying parameters. */
export interface AwsCallRecord {
  service: 'CloudWatch' | 'CloudWatchLogs' | 'RDS' | 'Lambda' | 'STS';
  operation: string;
  input: Record<string, unknown>;
}

/** Every AWS call Flightdeck makes, with the IAM action it needs and where the BFF sends it. */
export const flightdeckAwsCalls = [
  { service: 'STS', operation: 'GetCallerIdentity', actions: ['sts:GetCallerIdentity'], by: 'account check' },
  {
    service: 'CloudWatch',
    operation: 'GetMetricData',
    actions: ['cloudwatch:GetMetricData'],
    by: 'metrics, metric-threshold checklist items',
  },
  {
    service: 'CloudWatch',
    operation: 'DescribeAlarms',
    actions: ['cloudwatch:DescribeAlarms'],
    by: 'cloudwatch-alarm checklist items',
  },
  {
    service: 'CloudWatchLogs',
    operation: 'FilterLogEvents',
    actions: ['logs:FilterLogEvents'],
    by: 'logs, tails',
  },
  {
    service: 'RDS',
    operation: 'DescribeDBInstances',
    actions: ['rds:DescribeDBInstances'],
    by: 'RDS panel, restore',
  },
  { service: 'RDS', operation: 'DescribeDBSnapshots', actions: ['rds:DescribeDBSnapshots'], by: 'RDS panel' },
  {
    service: 'RDS',
    operation: 'CreateDBSnapshot',
    actions: ['rds:CreateDBSnapshot', 'rds:AddTagsToResource'],
    by: 'prepare deploy',
  },
  {
    service: 'RDS',
    operation: 'RestoreDBInstanceFromDBSnapshot',
    actions: ['rds:RestoreDBInstanceFromDBSnapshot'],
    by: 'RDS rollback',
  },
  {
    service: 'Lambda',
    operation: 'GetAlias',
    actions: ['lambda:GetAlias'],
    by: 'Lambda panel, alias rollback',
  },
  {
    service: 'Lambda',
    operation: 'ListVersionsByFunction',
    actions: ['lambda:ListVersionsByFunction'],
    by: 'Lambda panel',
  },
  { service: 'Lambda', operation: 'UpdateAlias', actions: ['lambda:UpdateAlias'], by: 'alias rollback' },
  { service: 'Lambda', operation: 'Invoke', actions: ['lambda:InvokeFunction'], by: 'database via Lambda' },
] as const satisfies readonly {
  service: AwsCallRecord['service'];
  operation: string;
  actions: readonly string[];
  by: string;
}[];

class Arns {
  constructor(private readonly resources: FlightdeckAwsResources) {}
  private base(service: string, regional = true): string {
    const { partition = 'aws', region, accountId } = this.resources;
    return `arn:${partition}:${service}:${regional ? region : ''}:${accountId}`;
  }
  // RDS keeps identifiers in lower case, and its ARNs with them.
  db(identifier: string): string {
    return `${this.base('rds')}:db:${identifier.toLowerCase()}`;
  }
  snapshot(identifier: string): string {
    return `${this.base('rds')}:snapshot:${identifier.toLowerCase()}`;
  }
  rds(type: 'subgrp' | 'pg' | 'og', name: string): string {
    return `${this.base('rds')}:${type}:${name.toLowerCase()}`;
  }
  fn(name: string, qualifier?: string): string {
    return `${this.base('lambda')}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
  }
  /** What IAM checks for log-group actions; the policy grants `log-group:<name>:*`. */
  logStreams(group: string): string {
    return `${this.base('logs')}:log-group:${group}:log-stream:`;
  }
  logGroupPattern(group: string): string {
    return `${this.base('logs')}:log-group:${group}:*`;
  }
}

const unique = (values: string[]) => [...new Set(values)];
const logGroupOf = (functionName: string) => `/aws/lambda/${functionName}`;

/**
 * The policy Flightdeck needs for these resources, nothing more: reads on the instance, its
 * snapshots, the functions, their aliases and log groups; CreateDBSnapshot under
 * `<instance>-pre-migration-*`; the restore only into `<instance>-restored-*` from those
 * snapshots; UpdateAlias only on the configured aliases; Invoke only on the SQL function.
 */
export function iamPolicy(resources: FlightdeckAwsResources): IamPolicy {
  const arn = new Arns(resources);
  const instance = resources.dbInstance;
  const restoredPattern = `${arn.db(restoredInstancePrefix(instance))}-*`;
  const snapshotPattern = `${arn.snapshot(preMigrationSnapshotPrefix(instance))}-*`;
  // The alias actions are listed under the `function` resource type: the function's ARN and the
  // alias's own are both named, so either form IAM checks is allowed, and no other alias is.
  const functionsAndAliases = unique(
    resources.functions.flatMap((f) => [arn.fn(f.name), arn.fn(f.name, f.alias)]),
  );
  const statements: IamStatement[] = [
    { Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    // GetMetricData has no resource-level permissions: it is allowed on * or not at all.
    { Sid: 'LambdaMetrics', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
    // The checklist's cloudwatch-alarm items name the team's own alarms: reading their state only.
    { Sid: 'AlarmStates', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' },
    {
      Sid: 'LogReads',
      Effect: 'Allow',
      Action: 'logs:FilterLogEvents',
      Resource: unique(resources.functions.map((f) => arn.logGroupPattern(logGroupOf(f.name)))),
    },
    {
      Sid: 'InstanceReads',
      Effect: 'Allow',
      Action: 'rds:DescribeDBInstances',
      Resource: [arn.db(instance), restoredPattern],
    },
    {
      // The instance's snapshots: automated ones (rds:<instance>-…) and manual ones under any
      // name cannot be told apart by ARN; this only reads their metadata.
      Sid: 'SnapshotReads',
      Effect: 'Allow',
      Action: 'rds:DescribeDBSnapshots',
      Resource: [arn.db(instance), arn.snapshot('*')],
    },
    {
      Sid: 'LambdaReads',
      Effect: 'Allow',
      Action: ['lambda:GetAlias', 'lambda:ListVersionsByFunction'],
      Resource: functionsAndAliases,
    },
  ];
  if (resources.sqlFunction)
    statements.push({
      Sid: 'ReadOnlySqlFunction',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: arn.fn(resources.sqlFunction),
    });
  statements.push(
    {
      Sid: 'PreMigrationSnapshot',
      Effect: 'Allow',
      Action: 'rds:CreateDBSnapshot',
      Resource: [arn.db(instance), snapshotPattern],
    },
    {
      // CreateDBSnapshot tags the snapshot (flightdeck:purpose) in the same call.
      Sid: 'TagPreMigrationSnapshot',
      Effect: 'Allow',
      Action: 'rds:AddTagsToResource',
      Resource: snapshotPattern,
    },
    {
      // The restore carries the original's subnet, parameter and option groups, read at run
      // time; IAM checks the call against each, and against the target and the snapshot.
      Sid: 'RestoreRollback',
      Effect: 'Allow',
      Action: 'rds:RestoreDBInstanceFromDBSnapshot',
      Resource: [
        restoredPattern,
        snapshotPattern,
        arn.rds('subgrp', '*'),
        arn.rds('pg', '*'),
        arn.rds('og', '*'),
      ],
    },
    { Sid: 'AliasRollback', Effect: 'Allow', Action: 'lambda:UpdateAlias', Resource: functionsAndAliases },
  );
  return { Version: '2012-10-17', Statement: statements };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A FunctionName as the SDK takes it (name, name:qualifier or ARN) → name and qualifier. */
function functionOf(value: unknown): { name: string; qualifier: string | null } | null {
  const raw = text(value);
  if (!raw) return null;
  const parts = raw.startsWith('arn:') ? raw.split(':').slice(6) : raw.split(':');
  const name = parts[0];
  return name ? { name, qualifier: parts[1] ?? null } : null;
}

/**
 * The IAM action and resource ARNs one call is authorised against. Throws for a call Flightdeck
 * is not known to make (add it to flightdeckAwsCalls and the policy first).
 */
export function iamRequestsOf(
  call: AwsCallRecord,
  resources: Pick<FlightdeckAwsResources, 'partition' | 'region' | 'accountId'>,
): { action: string; resource: string }[] {
  const arn = new Arns({ ...resources, dbInstance: '', functions: [] });
  const input = call.input;
  const each = (action: string, arns: (string | null)[]) =>
    arns.filter((a): a is string => a !== null).map((resource) => ({ action, resource }));
  switch (`${call.service}.${call.operation}`) {
    case 'STS.GetCallerIdentity':
      return each('sts:GetCallerIdentity', ['*']);
    case 'CloudWatch.GetMetricData':
      return each('cloudwatch:GetMetricData', ['*']);
    case 'CloudWatch.DescribeAlarms':
      return each('cloudwatch:DescribeAlarms', ['*']);
    case 'CloudWatchLogs.FilterLogEvents': {
      const group = text(input.logGroupName);
      if (!group) break;
      return each('logs:FilterLogEvents', [arn.logStreams(group)]);
    }
    case 'RDS.DescribeDBInstances': {
      const id = text(input.DBInstanceIdentifier);
      return each('rds:DescribeDBInstances', [id ? arn.db(id) : arn.db('*')]);
    }
    case 'RDS.DescribeDBSnapshots': {
      const snapshot = text(input.DBSnapshotIdentifier);
      const instance = text(input.DBInstanceIdentifier);
      return each('rds:DescribeDBSnapshots', [
        instance ? arn.db(instance) : null,
        arn.snapshot(snapshot ?? '*'),
      ]);
    }
    case 'RDS.CreateDBSnapshot': {
      const snapshot = text(input.DBSnapshotIdentifier);
      const instance = text(input.DBInstanceIdentifier);
      if (!snapshot || !instance) break;
      const tagged = Array.isArray(input.Tags) && input.Tags.length > 0;
      return [
        ...each('rds:CreateDBSnapshot', [arn.db(instance), arn.snapshot(snapshot)]),
        ...(tagged ? each('rds:AddTagsToResource', [arn.snapshot(snapshot)]) : []),
      ];
    }
    case 'RDS.RestoreDBInstanceFromDBSnapshot': {
      const target = text(input.DBInstanceIdentifier);
      const snapshot = text(input.DBSnapshotIdentifier);
      if (!target || !snapshot) break;
      const subnetGroup = text(input.DBSubnetGroupName);
      const parameterGroup = text(input.DBParameterGroupName);
      return each('rds:RestoreDBInstanceFromDBSnapshot', [
        arn.db(target),
        arn.snapshot(snapshot),
        subnetGroup ? arn.rds('subgrp', subnetGroup) : null,
        parameterGroup ? arn.rds('pg', parameterGroup) : null,
        text(input.OptionGroupName) ? arn.rds('og', text(input.OptionGroupName)!) : null,
      ]);
    }
    case 'Lambda.GetAlias':
    case 'Lambda.UpdateAlias': {
      const fn = functionOf(input.FunctionName);
      const alias = text(input.Name);
      if (!fn || !alias) break;
      return each(`lambda:${call.operation}`, [arn.fn(fn.name, alias)]);
    }
    case 'Lambda.ListVersionsByFunction': {
      const fn = functionOf(input.FunctionName);
      if (!fn) break;
      return each('lambda:ListVersionsByFunction', [arn.fn(fn.name)]);
    }
    case 'Lambda.Invoke': {
      const fn = functionOf(input.FunctionName);
      if (!fn) break;
      const qualifier = text(input.Qualifier) ?? fn.qualifier;
      return each('lambda:InvokeFunction', [arn.fn(fn.name, qualifier ?? undefined)]);
    }
    default:
      throw new Error(
        `${call.service} ${call.operation} is not a call Flightdeck makes (see flightdeckAwsCalls)`,
      );
  }
  throw new Error(`${call.service} ${call.operation} without the parameters that name its resource`);
}

/**
 * IAM's wildcards: `*` any run of characters (none included), `?` exactly one. Action names are
 * compared without regard to case, resource ARNs with it.
 */
export function iamWildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // iterative glob: remember the last * and retry from one character further on a mismatch
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++resume;
    } else return false;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Whether the policy allows the action on the resource: some Allow statement names both, and no
 * Deny statement does (an explicit deny always wins). Conditions are not modelled.
 */
export function policyAllows(policy: IamPolicy, action: string, arn: string): boolean {
  const matching = policy.Statement.filter(
    (s) =>
      list(s.Action).some((a) => iamWildcardMatch(a, action, true)) &&
      list(s.Resource).some((r) => iamWildcardMatch(r, arn)),
  );
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}

/** Every (action, resource) a call needs that the policy does not allow; empty when it may run. */
export function deniedRequests(
  policy: IamPolicy,
  call: AwsCallRecord,
  resources: Pick<FlightdeckAwsResources, 'partition' | 'region' | 'accountId'>,
): { action: string; resource: string }[] {
  return iamRequestsOf(call, resources).filter((r) => !policyAllows(policy, r.action, r.resource));
}
