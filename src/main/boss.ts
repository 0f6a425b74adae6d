import { PgBoss } from 'pg-boss';
import type { Logger } from '../lib/logger.js';

export interface BossOptions {
  url: string;
  schema: string;
  /** Worker processes run maintenance and cron; web-only processes just enqueue. */
  role: 'web' | 'worker';
  max?: number;
}

/**
 * One PgBoss per process. LISTEN/NOTIFY is on so that notify-enabled queues wake workers in
 * milliseconds (perf.md finding 4); polling stays as the backstop.
 */
export function createBoss(options: BossOptions, log: Logger): PgBoss {
  const worker = options.role === 'worker';
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    application_name: `postroom-${options.role}`,
    max: options.max ?? (worker ? 10 : 4),
    useListenNotify: true,
    supervise: worker,
    schedule: worker,
    migrate: true,
  });
  boss.on('error', (err: unknown) => log.error({ err }, 'pg-boss error'));
  return boss;
}
