import type { RequestHandler } from 'express';
import { inspectJson } from '../../lib/safe-text.js';
import { jsonProblemError } from '../../lib/safe-text.js';

/**
 * A NUL in the path or the query string (`%00`) would reach a query as text PostgreSQL refuses:
 * 422 `invalid_characters` naming `path` or `query.<name>` before any route runs.
 */
export const safeUrl: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.path)) {
    next(jsonProblemError({ kind: 'invalid_characters', path: 'path' }));
    return;
  }
  const problem = inspectJson(req.query);
  next(problem ? jsonProblemError(problem, 'query.') : undefined);
};
