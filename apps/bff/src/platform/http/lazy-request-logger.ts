// Fastify gives every request a child logger (pino's child: bindings serialized, an object built),
// though a read that answers well never logs (request-log.ts). This one makes the child on the
// first line written, so a read costs no logger at all.
import type { FastifyBaseLogger } from 'fastify';

type Bindings = Record<string, unknown>;
type Method = 'info' | 'error' | 'debug' | 'fatal' | 'warn' | 'trace' | 'silent';

class LazyRequestLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: object,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  private write(method: Method, args: unknown[]): void {
    (this.real[method] as (...a: unknown[]) => void)(...args);
  }

  info(...args: unknown[]) {
    this.write('info', args);
  }
  error(...args: unknown[]) {
    this.write('error', args);
  }
  debug(...args: unknown[]) {
    this.write('debug', args);
  }
  fatal(...args: unknown[]) {
    this.write('fatal', args);
  }
  warn(...args: unknown[]) {
    this.write('warn', args);
  }
  trace(...args: unknown[]) {
    this.write('trace', args);
  }
  silent() {}
}

/** Fastify's `childLoggerFactory`: the request's logger, made when first written to. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: object,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
