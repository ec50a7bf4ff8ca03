import { SandboxInputError } from './input-error.js';

export type AwsService = 'CloudWatch' | 'CloudWatchLogs' | 'RDS' | 'Lambda' | 'STS';
export type FaultKind = 'latency' | 'throttle' | 'error5xx' | 'hang';

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

const faultKinds: readonly FaultKind[] = ['latency', 'throttle', 'error5xx', 'hang'];
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

/** Faults in force, one per service and operation; a new one replaces the old. */
export class FaultBook {
  private readonly faults = new Map<string, Fault>();

  inject(fault: Fault): void {
    this.faults.set(`${fault.service}.${fault.operation}`, { ...fault });
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

  /** The fault this call suffers, if any; counts it against `remaining`. */
  take(service: AwsService, operation: string): Fault | undefined {
    const key = `${service}.${operation}`;
    const fault = this.faults.get(key);
    if (!fault) return undefined;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.delete(key);
    }
    return { ...fault };
  }
}
