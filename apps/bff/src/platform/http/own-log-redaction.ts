/**
 * Flightdeck's own log lines pass the same redactor as the log tails: an upstream error message
 * or a driver's stack can quote a connection string or a token, and these logs are shipped elsewhere.
 */
export function redactingLogOptions(redact: (text: string) => string) {
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value);
    if (value instanceof Error) {
      return { type: value.name, message: redact(value.message), stack: redact(value.stack ?? '') };
    }
    return value;
  };
  return {
    serializers: {
      err: (error: Error) => ({
        type: error.name,
        message: redact(error.message),
        stack: redact(error.stack ?? ''),
      }),
    },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...args: unknown[]) => void) {
        const [first, ...rest] = args;
        const head =
          first && typeof first === 'object' && !(first instanceof Error)
            ? Object.fromEntries(Object.entries(first).map(([k, v]) => [k, scrub(v)]))
            : scrub(first);
        method.apply(this, [head, ...rest.map(scrub)]);
      },
    },
  };
}
