/**
 * The few errors Flightdeck's code throws. Each carries its status and a machine-readable code;
 * one handler (error-handler.ts) turns them into `{error: {code, message, ...details}}`, so no
 * route or hook writes an error body by hand.
 */
export class FlightdeckError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra fields of the error body, e.g. `inTheWay` for a conflict. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** 400: the request itself is wrong; the message says what to change. */
export class BadInput extends FlightdeckError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(400, code, message, details);
  }
}

/** 401: no identity, or one that cannot be believed. */
export class Unauthenticated extends FlightdeckError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

/** 403: the person is known but may not do this. */
export class Forbidden extends FlightdeckError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

/** 404: the thing named does not exist. */
export class NotFound extends FlightdeckError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(404, code, message, details);
  }
}

/** 409: something stands in the way; `inTheWay` names it when there is something to name. */
export class Conflict extends FlightdeckError {
  constructor(code: string, message: string, inTheWay: Record<string, unknown> = {}) {
    super(409, code, message, Object.keys(inTheWay).length > 0 ? { inTheWay } : {});
  }
}

/** 422: well-formed, but it contradicts what was sent before (an Idempotency-Key reused). */
export class Unprocessable extends FlightdeckError {
  constructor(code: string, message: string) {
    super(422, code, message);
  }
}

/** 429: too many requests from one person; the message says when to try again. */
export class TooManyRequests extends FlightdeckError {
  constructor(code: string, message: string) {
    super(429, code, message);
  }
}

/** 503: Flightdeck cannot act now (its store, the wrong AWS account); the message says why. */
export class Unavailable extends FlightdeckError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(503, code, message, details);
  }
}

/** The `{error}` body of a named error. */
export function errorBody(error: FlightdeckError) {
  return { error: { code: error.code, message: error.message, ...error.details } };
}
