/** zod at the edge: a body or query that does not parse is a 422 listing every issue. */
import type { z } from 'zod';
import { ValidationError } from '../../../lib/errors.js';

export function parseOr422<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(`Invalid ${what}`, {
    issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
