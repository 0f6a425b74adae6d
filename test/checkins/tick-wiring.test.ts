/**
 * The tick as the app wires it: the minutely pg-boss schedule is registered, and a
 * `checkins.tick` job run by a real worker moves the durable watermark.
 */
import { startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

test('the minutely schedule exists and a tick job plans through the worker', async () => {
  const schedules = (
    await app.db.pool.query(`SELECT name, cron FROM pgboss.schedule WHERE name = 'checkins.tick'`)
  ).rows;
  expect(schedules).toEqual([{ name: 'checkins.tick', cron: '* * * * *' }]);
  await app.container.queue.send('checkins.tick', {});
  const until = Date.now() + 15000;
  let row: { last_tick_at: Date } | undefined;
  while (!row && Date.now() < until) {
    row = (await app.db.pool.query(`SELECT last_tick_at FROM checkin_ticks WHERE name = 'prompts'`))
      .rows[0];
    if (!row) await new Promise((r) => setTimeout(r, 50));
  }
  expect(row).toBeDefined();
  expect(Math.abs(row!.last_tick_at.getTime() - Date.now())).toBeLessThan(60_000);
});
