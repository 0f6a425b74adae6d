/**
 * The send slots of a worker process: at most `size` messages between "handed to the
 * transport" and "outcome committed" at any time. That number bounds the ambiguous window: a
 * SIGKILL can re-send at most `size` messages the server had already accepted (docs/outbound.md).
 * A slot is held until the message's outcome is committed, not just until the server answers.
 */
export interface SendSlots {
  readonly size: number;
  /** Runs `fn` in a slot, waiting for one first. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves once every task given to `run` so far has its slot (nothing is waiting). */
  drained(): Promise<void>;
}

export function createSendSlots(size: number): SendSlots {
  let active = 0;
  const waiting: Array<() => void> = [];
  let drainers: Array<() => void> = [];

  const release = () => {
    active -= 1;
    const next = waiting.shift();
    if (next) {
      active += 1;
      next();
    }
    if (waiting.length === 0 && drainers.length > 0) {
      const done = drainers;
      drainers = [];
      for (const d of done) d();
    }
  };

  const acquire = (): Promise<void> => {
    if (active < size) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    size,
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    drained() {
      if (waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => drainers.push(resolve));
    },
  };
}
