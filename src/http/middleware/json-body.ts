import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../../lib/errors.js';
import { inspectJson, jsonProblemError } from '../../lib/safe-text.js';

/** Bodies whose bytes were not UTF-8: the decoder put U+FFFD where they were. */
const notUtf8 = new WeakSet<Request>();

/** Checks a parsed JSON value (an API body, or a JSON field of a form) before anything uses it. */
export function checkJson(value: unknown, req: Request, prefix = ''): void {
  const problem = inspectJson(value, { flagReplacement: notUtf8.has(req) });
  if (problem) throw jsonProblemError(problem, prefix);
}

/**
 * express.json, plus a 415 for a body of another type (without it such a body is silently left
 * unparsed and reaches the schema as `undefined`, which reads as a confusing 422), a 400 past
 * MAX_JSON_DEPTH, and a 422 for text PostgreSQL cannot store.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({
    limit,
    verify: (req, _res, buf, encoding) => {
      if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) notUtf8.add(req as Request);
    },
  });
  return (req, res, next) => {
    // req.is() is null when there is no body, false when the body has another type.
    if (req.is(['application/json', 'application/*+json']) === false) {
      next(
        new AppError(415, 'unsupported_media_type', 'Send the body as application/json', {
          content_type: req.headers['content-type'] ?? null,
        }),
      );
      return;
    }
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        checkJson(req.body, req);
        next();
      } catch (problem) {
        next(problem);
      }
    });
  };
}
