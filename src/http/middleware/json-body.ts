import express, { type RequestHandler } from 'express';
import { AppError } from '../../lib/errors.js';

/**
 * express.json, plus a 415 for a body of another type. Without it such a body is silently left
 * unparsed and reaches the schema as `undefined`, which reads as a confusing 422.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
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
    parse(req, res, next);
  };
}
