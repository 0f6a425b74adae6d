/**
 * Retention: raw bytes are deleted after N days by status (processed 30, ignored 7 by
 * default; failed messages keep theirs so they can be reprocessed). The row and its metadata
 * stay. Old webhook nonces go once they are past every provider's retry window.
 */
import type { Clock } from '../../lib/clock.js';
import type { InboundStore } from './ports.js';

export interface RetentionSettings {
  processedDays: number;
  ignoredDays: number;
  nonceDays: number;
}

export function createRetentionService(deps: {
  store: InboundStore;
  clock: Clock;
  settings: RetentionSettings;
}) {
  const day = 86_400_000;
  return {
    async run(batch = 1000): Promise<{ processed: number; ignored: number; nonces: number }> {
      const now = deps.clock.now();
      const drain = async (status: 'processed' | 'ignored', days: number): Promise<number> => {
        let total = 0;
        for (;;) {
          const n = await deps.store.deleteRaw(
            status,
            new Date(now.getTime() - days * day),
            batch,
            now,
          );
          total += n;
          if (n < batch) return total;
        }
      };
      return {
        processed: await drain('processed', deps.settings.processedDays),
        ignored: await drain('ignored', deps.settings.ignoredDays),
        nonces: await deps.store.deleteNonces(
          new Date(now.getTime() - deps.settings.nonceDays * day),
        ),
      };
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
