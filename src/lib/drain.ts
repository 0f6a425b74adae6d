/**
 * Deletes in batches: `step(limit)` removes at most `limit` rows and says how many it did; it is
 * called until a batch comes back short. No statement holds many row locks for long.
 */
export async function drainInBatches(
  step: (limit: number) => Promise<number>,
  batch: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step(batch);
    total += n;
    if (n < batch) return total;
  }
}
