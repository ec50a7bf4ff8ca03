interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * A 400 message that names what the caller sent: `Unknown window "2h": choose one of 15m, 1h …`
 * rather than the validator's "must be equal to one of the allowed values".
 */
export function describeInvalidQuery(
  issues: ValidationIssue[] | undefined,
  query: unknown,
  choices: Record<string, readonly string[]> = {},
): string {
  const values = (query ?? {}) as Record<string, unknown>;
  for (const issue of issues ?? []) {
    if (issue.keyword === 'additionalProperties') {
      return `Unknown query parameter "${String(issue.params.additionalProperty)}"`;
    }
    const name = issue.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    if (!name) continue;
    const allowed = choices[name];
    if (allowed)
      return `Unknown ${name} ${JSON.stringify(values[name])}: choose one of ${allowed.join(', ')}`;
    return `Query parameter ${name}=${JSON.stringify(values[name])} ${issue.message ?? 'is invalid'}`;
  }
  return issues?.[0]?.message ?? 'Invalid query';
}
