import { AwsApiError } from './aws-error.js';
import { escapeXml, toXml, type XmlObject } from './xml.js';

/** Form parameters of an awsQuery request (RDS, STS): `Filters.Filter.1.Values.Value.2=…`. */
export class QueryParams {
  private readonly params: URLSearchParams;

  constructor(body: string) {
    this.params = new URLSearchParams(body);
  }

  get action(): string | undefined {
    return this.params.get('Action') ?? undefined;
  }

  get version(): string | undefined {
    return this.params.get('Version') ?? undefined;
  }

  string(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null || value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined)
      throw new AwsApiError('MissingParameter', 400, `The request must contain the parameter ${name}`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n))
      throw new AwsApiError('InvalidParameterValue', 400, `Invalid value for ${name}: ${value}`);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    return value === undefined ? undefined : value === 'true';
  }

  /** `Prefix.Member.1`, `Prefix.Member.2`, … in order. */
  list(prefix: string, member: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.params.get(`${prefix}.${member}.${i}`);
      if (value === null) return out;
      out.push(value);
    }
  }

  /** Structures in a list: `Filters.Filter.1.Name`, … returned as records of their fields. */
  structs(prefix: string, member: string): Map<string, string>[] {
    const out: Map<string, string>[] = [];
    for (let i = 1; ; i++) {
      const head = `${prefix}.${member}.${i}.`;
      const fields = new Map<string, string>();
      for (const [key, value] of this.params)
        if (key.startsWith(head)) fields.set(key.slice(head.length), value);
      if (fields.size === 0) return out;
      out.push(fields);
    }
  }

  filters(): { name: string; values: string[] }[] {
    return this.structs('Filters', 'Filter').map((fields) => {
      const values: string[] = [];
      for (let i = 1; fields.has(`Values.Value.${i}`); i++) values.push(fields.get(`Values.Value.${i}`)!);
      return { name: fields.get('Name') ?? '', values };
    });
  }

  tags(): { Key: string; Value: string }[] {
    return this.structs('Tags', 'Tag').map((fields) => ({
      Key: fields.get('Key') ?? '',
      Value: fields.get('Value') ?? '',
    }));
  }
}

export function queryResponse(
  action: string,
  namespace: string,
  result: XmlObject | undefined,
  requestId: string,
): string {
  const body = result === undefined ? '' : toXml(`${action}Result`, result);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryErrorResponse(namespace: string, error: AwsApiError, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
