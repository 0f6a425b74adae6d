/** HTTP errors only the dashboard uses. */
import { AppError } from '../../lib/errors.js';

/** 410: a link that worked once (sign-in, member page) is spent or expired. */
export class GoneError extends AppError {
  constructor(code: string, message: string) {
    super(410, code, message);
  }
}
