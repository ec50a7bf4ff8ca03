import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import pg from 'pg';
import { flightdeckApplicationName } from '@flightdeck/core';

/** How long a query may run: on the server (statement_timeout) when direct, on the caller's side through a function. */
export interface QueryOptions {
  timeoutMs?: number;
}

/** Reads the target database; read-only queries only. */
export interface TargetDatabase {
  readonly via: 'direct' | 'lambda';
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export class DirectTargetDatabase implements TargetDatabase {
  readonly via = 'direct' as const;
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({
      connectionString: url,
      // Named, so a DBA sees who it is and the lock poll leaves Flightdeck's own sessions out.
      application_name: flightdeckApplicationName,
      max: 2,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 10_000,
    });
    // An idle client dying (database restart) must not crash the BFF; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async query(
    sql: string,
    params: unknown[] = [],
    options: QueryOptions = {},
  ): Promise<Record<string, unknown>[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      if (options.timeoutMs !== undefined)
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`);
      const result = await client.query(sql, params);
      await client.query('COMMIT');
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * For a database in a private VPC: a Lambda function inside it runs the read-only query,
 * as the story's tools/rds-query did. Payload {sql, params} → {columns, rows}.
 */
export class LambdaTargetDatabase implements TargetDatabase {
  readonly via = 'lambda' as const;

  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async query(
    sql: string,
    params: unknown[] = [],
    options: QueryOptions = {},
  ): Promise<Record<string, unknown>[]> {
    const out = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        Payload: new TextEncoder().encode(JSON.stringify({ sql, params })),
      }),
      options.timeoutMs !== undefined ? { abortSignal: AbortSignal.timeout(options.timeoutMs) } : {},
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '{}';
    const body = JSON.parse(text) as {
      columns?: string[];
      rows?: unknown[][];
      errorMessage?: string;
      errorType?: string;
    };
    if (out.FunctionError) {
      throw Object.assign(new Error(body.errorMessage ?? `SQL function ${this.functionName} failed`), {
        name: body.errorType ?? 'SqlFunctionError',
      });
    }
    const columns = body.columns ?? [];
    return (body.rows ?? []).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  }

  async close(): Promise<void> {}
}
