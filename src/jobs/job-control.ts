/**
 * The job monitor's pg-boss side: queues and their settings (getQueues, with pg-boss's cached
 * counts), and the actions on jobs (retry, cancel), all through pg-boss 12's own API. Reads it
 * has no API for live in storage/read-models/jobs.ts. The worker settings (batch size, loops)
 * come from our registry, since pg-boss does not store them.
 */
import type { PgBoss, QueueResult } from 'pg-boss';
import type { BossQueue, JobControl } from '../services/operations/ports.js';
import type { QueueRegistry } from './registry.js';

/** What pg-boss's command responses carry at run time (its typings declare an empty object). */
type Affected = { affected?: number };

function toQueue(q: QueueResult, registry: QueueRegistry): BossQueue {
  const spec = registry.all().find((s) => s.name === q.name);
  return {
    name: q.name,
    ready: q.readyCount,
    deferred: q.deferredCount,
    active: q.activeCount,
    failed: q.failedCount,
    settings: {
      policy: q.policy ?? 'standard',
      retryLimit: q.retryLimit ?? 0,
      retryDelay: q.retryDelay ?? 0,
      retryBackoff: q.retryBackoff ?? false,
      retryDelayMax: q.retryDelayMax ?? null,
      expireInSeconds: q.expireInSeconds ?? 0,
      deleteAfterSeconds: q.deleteAfterSeconds ?? 0,
      deadLetter: q.deadLetter ?? null,
      partition: q.partition ?? false,
      notify: q.notify ?? false,
      batchSize: spec?.worker.batchSize ?? null,
      localConcurrency: spec?.worker.localConcurrency ?? null,
    },
  };
}

export function createJobControl(boss: PgBoss, registry: QueueRegistry): JobControl {
  return {
    async queues() {
      const all = await boss.getQueues();
      return all.filter((q) => !q.name.startsWith('__pgboss')).map((q) => toQueue(q, registry));
    },
    async retry(queue, ids) {
      if (ids.length === 0) return 0;
      return ((await boss.retry(queue, [...ids])) as Affected).affected ?? 0;
    },
    async cancel(queue, ids) {
      if (ids.length === 0) return 0;
      return ((await boss.cancel(queue, [...ids])) as Affected).affected ?? 0;
    },
  };
}
