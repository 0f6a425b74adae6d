/**
 * Retry timing for temporary failures: exponential backoff with full jitter
 * (delay = random(0, min(cap, base · 2^(n-1)))), so a burst of deferrals from one busy server
 * does not come back as a synchronized burst. A server's own "try again in N" is a floor.
 */

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** How long after acceptance a message may still be retried. */
  maxAgeMs: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; at: Date }
  | { retry: false; reason: 'attempts_exhausted' | 'deadline_passed' };

/**
 * `attempt` is the attempt that just failed (1-based). `random` is injected for tests.
 */
export function nextRetry(
  attempt: number,
  now: Date,
  deadline: Date,
  policy: RetryPolicy,
  hintSeconds: number | null = null,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  let delayMs = Math.floor(random() * ceiling);
  if (hintSeconds !== null) delayMs = Math.max(delayMs, hintSeconds * 1000);
  const at = new Date(now.getTime() + delayMs);
  if (at.getTime() > deadline.getTime()) return { retry: false, reason: 'deadline_passed' };
  return { retry: true, delayMs, at };
}
