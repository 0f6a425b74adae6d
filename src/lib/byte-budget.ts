/**
 * A counting semaphore over bytes: work on large payloads waits while others hold the budget,
 * so memory stays bounded whatever the concurrency settings. One item larger than the whole
 * budget still runs, alone, when nothing else holds any.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; go: () => void }> = [];
  constructor(readonly limit: number) {}

  async run<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    const take = Math.max(0, Math.min(bytes, this.limit));
    await this.acquire(take);
    try {
      return await work();
    } finally {
      this.release(take);
    }
  }

  private acquire(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ bytes, go }));
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }

  private release(bytes: number): void {
    this.used -= bytes;
    // First come, first served: a large item at the head is not starved by small ones.
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.go();
    }
  }
}
