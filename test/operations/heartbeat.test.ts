/**
 * A clean stop is final: a heartbeat already on its way when the process stopped (its timer
 * fired just before) lands after the stop mark and must not bring the process back to life.
 * Under load the workers page showed a cleanly stopped worker as alive for this reason.
 */
import { systemClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { listProcesses, startHeartbeat } from '../../src/services/operations/processes.js';
import { repositories } from '../../src/storage/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

test('a beat that lands after the stop mark leaves the process stopped', async () => {
  const deps = {
    db: db.db,
    processHeartbeats: repositories.processHeartbeats,
    clock: systemClock,
    log: silentLogger,
    heartbeatSeconds: 60,
  };
  const me = {
    id: '0190f5a2-2222-7000-8000-000000000001',
    host: 'test-host',
    pid: 4242,
    roles: ['worker' as const],
    version: '0.1.0',
    startedAt: new Date(),
  };
  const heartbeat = await startHeartbeat(deps, me);
  expect((await listProcesses(deps)).find((p) => p.id === me.id)?.alive).toBe(true);

  await heartbeat.stop();
  await repositories.processHeartbeats.beat(db.db, me, new Date());

  const row = (await listProcesses(deps)).find((p) => p.id === me.id);
  expect(row?.stoppedAt).toBeInstanceOf(Date);
  expect(row?.alive).toBe(false);
});
