import { SandboxInputError } from './input-error.js';

export type AwsService = 'CloudWatch' | 'CloudWatchLogs' | 'RDS' | 'Lambda' | 'STS';
/** Faults of the transport: any operation can suffer them. */
export type TransportFaultKind = 'latency' | 'throttle' | 'error5xx' | 'hang';
/**
 * Faults of behaviour: an endpoint that answers some requests differently from AWS — as
 * AWS-compatible emulators do — each on the one operation it concerns. They show whether
 * Flightdeck relies on something only real AWS guarantees.
 */
export type BehaviourFaultKind = 'percentiles-unsupported' | 'ignore-revision-id';
export type FaultKind = TransportFaultKind | BehaviourFaultKind;

/** The operations the sandbox answers, per service; faults can only target these. */
export const sandboxOperations: Record<AwsService, readonly string[]> = {
  CloudWatch: ['GetMetricData'],
  CloudWatchLogs: ['FilterLogEvents', 'GetLogEvents', 'DescribeLogStreams'],
  RDS: ['DescribeDBInstances', 'DescribeDBSnapshots', 'CreateDBSnapshot', 'RestoreDBInstanceFromDBSnapshot'],
  Lambda: [
    'GetAlias',
    'ListAliases',
    'ListVersionsByFunction',
    'UpdateAlias',
    'PublishVersion',
    'GetFunctionConfiguration',
    'Invoke',
  ],
  STS: ['GetCallerIdentity'],
};

export interface Fault {
  service: AwsService;
  operation: string;
  kind: FaultKind;
  /** For `latency`: how long to wait before answering (default 1000 ms). */
  latencyMs?: number;
  /** How many more calls to fault; unlimited when absent. */
  remaining?: number;
}

export const behaviourFaults: Record<
  BehaviourFaultKind,
  { service: AwsService; operation: string; description: string }
> = {
  // moto answers 500 to GetMetricData asking for a percentile
  'percentiles-unsupported': {
    service: 'CloudWatch',
    operation: 'GetMetricData',
    description: 'GetMetricData answers HTTP 500 when any query asks for a percentile statistic (pNN)',
  },
  'ignore-revision-id': {
    service: 'Lambda',
    operation: 'UpdateAlias',
    description: 'UpdateAlias ignores the RevisionId precondition and updates the alias anyway',
  },
};

const transportFaultKinds: readonly TransportFaultKind[] = ['latency', 'throttle', 'error5xx', 'hang'];
const faultKinds: readonly FaultKind[] = [
  ...transportFaultKinds,
  ...(Object.keys(behaviourFaults) as BehaviourFaultKind[]),
];

export function isBehaviourFault(kind: FaultKind): kind is BehaviourFaultKind {
  return Object.hasOwn(behaviourFaults, kind);
}
const faultFields = new Set(['service', 'operation', 'kind', 'latencyMs', 'remaining']);

export function isAwsService(value: unknown): value is AwsService {
  return typeof value === 'string' && Object.hasOwn(sandboxOperations, value);
}

/** Validates a fault from JSON; throws SandboxInputError naming the first problem. */
export function parseFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new SandboxInputError('InvalidFault', 'A fault is a JSON object');
  const record = input as Record<string, unknown>;
  const unknownField = Object.keys(record).find((k) => !faultFields.has(k));
  if (unknownField) throw new SandboxInputError('InvalidFault', `Unknown field "${unknownField}"`);
  const { service, operation, kind, latencyMs, remaining } = record;
  if (!isAwsService(service))
    throw new SandboxInputError(
      'InvalidFault',
      `service must be one of ${Object.keys(sandboxOperations).join(', ')}`,
    );
  if (typeof operation !== 'string' || !sandboxOperations[service].includes(operation))
    throw new SandboxInputError(
      'InvalidFault',
      `operation must be one of ${sandboxOperations[service].join(', ')} for ${service}`,
    );
  if (typeof kind !== 'string' || !faultKinds.includes(kind as FaultKind))
    throw new SandboxInputError('InvalidFault', `kind must be one of ${faultKinds.join(', ')}`);
  const fault: Fault = { service, operation, kind: kind as FaultKind };
  if (isBehaviourFault(fault.kind)) {
    const target = behaviourFaults[fault.kind];
    if (service !== target.service || operation !== target.operation)
      throw new SandboxInputError(
        'InvalidFault',
        `${fault.kind} applies to ${target.service} ${target.operation} only (${target.description})`,
      );
    if (latencyMs !== undefined)
      throw new SandboxInputError('InvalidFault', `latencyMs applies to latency faults, not ${fault.kind}`);
  }
  if (latencyMs !== undefined) {
    if (!Number.isInteger(latencyMs) || (latencyMs as number) < 0 || (latencyMs as number) > 120_000)
      throw new SandboxInputError('InvalidFault', 'latencyMs must be an integer from 0 to 120000');
    fault.latencyMs = latencyMs as number;
  }
  if (remaining !== undefined) {
    if (!Number.isInteger(remaining) || (remaining as number) < 1 || (remaining as number) > 10_000)
      throw new SandboxInputError('InvalidFault', 'remaining must be an integer from 1 to 10000');
    fault.remaining = remaining as number;
  }
  return fault;
}

/**
 * Faults in force: one transport fault per service and operation (a new one replaces the
 * old), and beside it each behaviour fault of that operation.
 */
export class FaultBook {
  private readonly faults = new Map<string, Fault>();

  private static key(service: AwsService, operation: string, kind: FaultKind): string {
    return isBehaviourFault(kind) ? `${service}.${operation}.${kind}` : `${service}.${operation}`;
  }

  inject(fault: Fault): void {
    this.faults.set(FaultBook.key(fault.service, fault.operation, fault.kind), { ...fault });
  }

  clear(service?: AwsService, operation?: string): void {
    if (service === undefined) {
      this.faults.clear();
      return;
    }
    for (const [key, fault] of this.faults) {
      if (fault.service === service && (operation === undefined || fault.operation === operation))
        this.faults.delete(key);
    }
  }

  list(): Fault[] {
    return [...this.faults.values()].map((f) => ({ ...f }));
  }

  /** The transport fault this call suffers, if any; counts it against `remaining`. */
  take(service: AwsService, operation: string): Fault | undefined {
    return this.takeByKey(`${service}.${operation}`);
  }

  /**
   * Whether a behaviour fault is in force, asked by the operation when the request is one the
   * fault changes (a percentile asked, a stale RevisionId); counts it against `remaining`.
   */
  takeBehaviour(kind: BehaviourFaultKind): Fault | undefined {
    const { service, operation } = behaviourFaults[kind];
    return this.takeByKey(FaultBook.key(service, operation, kind));
  }

  private takeByKey(key: string): Fault | undefined {
    const fault = this.faults.get(key);
    if (!fault) return undefined;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.delete(key);
    }
    return { ...fault };
  }
}
