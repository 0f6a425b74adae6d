import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import {
  AppError,
  coerceError,
  isConnectionFailure,
  ServiceUnavailableError,
} from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';

/** Unknown routes get the same JSON error shape as everything else. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'route_not_found', message: `No route for ${req.method} ${req.path}` },
  });
};

/**
 * Express 5 forwards rejected promises here, so handlers just throw. AppErrors become their
 * status and code; body-parser and multer errors become 4xx; an unreachable database becomes
 * 503 with Retry-After; anything else is a logged 500.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const err = toAppError(raw);
    if (err.status === 503) (req.log ?? log).warn({ err: coerceError(raw) }, 'unavailable');
    else if (err.status >= 500) (req.log ?? log).error({ err: coerceError(raw) }, 'request failed');
    if (res.headersSent) return;
    setRetryAfter(res, err);
    // A handler may have set another type before it threw (a raw download, say).
    res.removeHeader('Content-Disposition');
    res.status(err.status).type('application/json').json(err.toJSON());
  };
}

/** 429 and 503 say when to come back. */
export function setRetryAfter(res: Response, err: AppError): void {
  const after = (err.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  if ((err.status === 429 || err.status === 503) && typeof after === 'number') {
    res.setHeader('Retry-After', String(after));
  }
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
  message?: string;
}

export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  const e = (raw ?? {}) as HttpishError;
  // body-parser marks its errors with `type`; multer with a MulterError `code`.
  if (
    e.type === 'entity.too.large' ||
    e.code === 'LIMIT_FILE_SIZE' ||
    e.code === 'LIMIT_FIELD_VALUE'
  ) {
    return new AppError(413, 'payload_too_large', 'Request body is too large');
  }
  if (e.type === 'entity.parse.failed') {
    return new AppError(400, 'malformed_json', 'Request body is not valid JSON');
  }
  if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) {
    return new AppError(400, 'malformed_multipart', e.message ?? 'Malformed multipart body');
  }
  if (isConnectionFailure(raw)) {
    return new ServiceUnavailableError('database_unavailable', 'The database is unavailable');
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(
      status,
      e.type ? e.type.replace(/\W+/g, '_') : 'bad_request',
      e.message ?? 'Bad request',
    );
  }
  return new AppError(500, 'internal_error', 'Internal server error');
}
