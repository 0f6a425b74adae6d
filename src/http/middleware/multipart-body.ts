/**
 * multer, with every way a multipart body can be broken turned into a 4xx. multer passes on
 * busboy's own errors ("Unexpected end of form", "Boundary not found", "Malformed part
 * header", …) as plain Errors, which would otherwise be a 500; its size limits keep their 413.
 * Field values and file names must also be text PostgreSQL can store (422 `invalid_characters`).
 */
import type { RequestHandler } from 'express';
import { AppError, BadRequestError } from '../../lib/errors.js';
import { isSafeText } from '../../lib/safe-text.js';
import { toAppError } from './errors.js';
import { jsonProblemError } from '../../lib/safe-text.js';
import { checkJson } from './json-body.js';

export function multipartError(err: unknown): AppError {
  const mapped = toAppError(err);
  if (mapped.status < 500) return mapped;
  return new BadRequestError(
    'malformed_multipart',
    `Malformed multipart body: ${(err as Error)?.message ?? 'unreadable'}`,
  );
}

export function multipartBody(upload: RequestHandler): RequestHandler {
  return (req, res, next) => {
    upload(req, res, (err?: unknown) => {
      if (err) return next(multipartError(err));
      try {
        checkJson(req.body ?? {}, req);
        const files = Array.isArray(req.files) ? req.files : Object.values(req.files ?? {}).flat();
        files.forEach((f, i) => {
          if (!isSafeText(f.originalname) || !isSafeText(f.fieldname)) {
            throw jsonProblemError({ kind: 'invalid_characters', path: `files[${i}].filename` });
          }
        });
        next();
      } catch (problem) {
        next(problem);
      }
    });
  };
}
