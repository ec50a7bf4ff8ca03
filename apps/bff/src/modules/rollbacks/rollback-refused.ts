/** A rollback Flightdeck will not start, with the reason and what is in the way: answered as-is (409 by default). */
export class RollbackRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly inTheWay: Record<string, unknown> = {},
    readonly statusCode = 409,
  ) {
    super(message);
  }
}
