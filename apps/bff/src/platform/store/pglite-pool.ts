// Kysely speaks to PostgreSQL through a `pg`-shaped pool. This adapter gives it one over PGlite,
// so one dialect (PostgresDialect) and one set of queries serve the embedded store and a server.
import type { PGlite, Results } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];

function commandOf(sql: string): Command {
  return (/^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT') as Command;
}

/**
 * PGlite is one connection: a client holds it from connect() to release(), so a transaction's
 * statements are never interleaved with another caller's. Callers wait their turn, in order.
 */
export class PglitePool implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly db: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    await previous;
    const db = this.db;
    let released = false;
    const client = {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        // Without parameters, exec runs the simple protocol (several statements allowed, as in pg).
        const result: Results<R> =
          parameters.length === 0
            ? (((await db.exec(sql)).at(-1) as Results<R> | undefined) ?? { rows: [], fields: [] })
            : await db.query<R>(sql, [...parameters]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
    return client as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.queue;
  }
}
