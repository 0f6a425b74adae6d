/**
 * The pg-boss implementation of the JobQueue port. Every payload is validated against its
 * queue's schema before it is written, so a bad enqueue fails in the caller, not in a worker.
 */
import type { PgBoss, JobInsert, SendOptions } from 'pg-boss';
import { ValidationError } from '../lib/errors.js';
import type {
  EnqueueOptions,
  Executor,
  JobPayloads,
  JobQueue,
  QueueName,
} from '../services/ports.js';
import type { QueueRegistry } from './registry.js';

/** Opens a caller's transaction for pg-boss (storage/sql.ts `jobSql`, handed in by main/). */
export type JobSql = (tx: Executor) => {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
};

function sendOptions(o: Omit<EnqueueOptions, 'tx'>): SendOptions {
  const out: SendOptions = {};
  if (o.id) out.id = o.id;
  if (o.startAfter) out.startAfter = o.startAfter;
  if (o.singletonKey) out.singletonKey = o.singletonKey;
  if (o.priority !== undefined) out.priority = o.priority;
  return out;
}

export function createBossQueue(boss: PgBoss, registry: QueueRegistry, asBossDb: JobSql): JobQueue {
  const validate = (name: string, data: unknown): object => {
    const result = registry.get(name).schema.safeParse(data);
    if (!result.success) {
      throw new ValidationError(
        `Invalid payload for queue ${name}`,
        result.error.issues,
        'invalid_job_payload',
      );
    }
    return result.data as object;
  };

  return {
    async send<N extends QueueName>(name: N, data: JobPayloads[N], options: EnqueueOptions = {}) {
      const payload = validate(name, data);
      const { tx, ...rest } = options;
      return boss.send(name, payload, {
        ...sendOptions(rest),
        ...(tx ? { db: asBossDb(tx) } : {}),
      });
    },
    async sendMany<N extends QueueName>(
      name: N,
      items: ReadonlyArray<{ data: JobPayloads[N] } & Omit<EnqueueOptions, 'tx'>>,
      options: { tx?: Executor } = {},
    ) {
      if (items.length === 0) return;
      const jobs: JobInsert[] = items.map(({ data, ...rest }) => ({
        data: validate(name, data),
        ...sendOptions(rest),
      }));
      await boss.insert(name, jobs, options.tx ? { db: asBossDb(options.tx) } : undefined);
    },
  };
}
