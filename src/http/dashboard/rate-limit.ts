/**
 * A fixed-window counter per key (client IP) for the login form. It lives in process memory:
 * with several web processes each allows the limit, which still bounds guessing; the per-address
 * limit in the auth service is in the database and holds across processes.
 */
import type { Clock } from '../../lib/clock.js';

export interface RateLimiter {
  /** Counts one hit; returns seconds to wait when over the limit, else 0. */
  hit(key: string): number;
}

export function createRateLimiter(limit: number, windowMs: number, clock: Clock): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key) {
      const now = clock.now().getTime();
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
      }
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count > limit ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : 0;
    },
  };
}
