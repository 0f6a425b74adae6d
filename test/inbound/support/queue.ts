/** A real pg-boss queue on a test database, with the registry the features add their queues to. */
import { createBossQueue } from '../../../src/jobs/boss-queue.js';
import { QueueRegistry } from '../../../src/jobs/registry.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createBoss } from '../../../src/main/boss.js';
import { jobSql } from '../../../src/storage/sql.js';

export function testQueue(url: string, schema: string) {
  const boss = createBoss({ url, schema, role: 'worker', max: 4 }, silentLogger);
  const registry = new QueueRegistry();
  return { boss, registry, queue: createBossQueue(boss, registry, jobSql) };
}
