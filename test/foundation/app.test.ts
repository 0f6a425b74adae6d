import { startTestApp, type TestApp } from '../support/app.js';

async function waitUntil<T>(fn: () => Promise<T | undefined>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the whole app (web + worker) on real Postgres', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  test('/healthz and /readyz answer', async () => {
    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', queue: 'ok' },
    });
  });

  test('an enqueued job completes', async () => {
    const id = await app.container.queue.send('system.ping', { note: 'integration' });
    expect(id).toEqual(expect.any(String));
    const job = await waitUntil(async () => {
      const j = await app.container.boss.getJobById('system.ping', id!);
      return j?.state === 'completed' ? j : undefined;
    });
    expect(job.data).toEqual({ note: 'integration' });
  });

  test('a delayed job on a NOTIFY queue is picked up by the queue poll, not the 30 s default', async () => {
    // NOTIFY fires at insert, when the job is not due yet; only polling can find it later.
    const id = await app.container.queue.send(
      'system.ping',
      { note: 'delayed' },
      { startAfter: new Date(Date.now() + 1000) },
    );
    const job = await waitUntil(async () => {
      const j = await app.container.boss.getJobById('system.ping', id!);
      return j?.state === 'completed' ? j : undefined;
    }, 10000);
    expect(job.data).toEqual({ note: 'delayed' });
  });

  test('enqueue validates the payload against the queue schema', async () => {
    await expect(
      app.container.queue.send('system.ping', { note: 42 } as unknown as { note: string }),
    ).rejects.toMatchObject({ status: 422, code: 'invalid_job_payload' });
  });

  test('a job whose payload fails its schema is dead-lettered with the error, and the worker goes on', async () => {
    // Bypass our validation, as a foreign producer or an old payload version would.
    const bad = await app.container.boss.send('system.ping', { note: { nested: true } });
    const failed = await waitUntil(async () => {
      const j = await app.container.boss.getJobById('system.ping', bad!);
      return j?.state === 'failed' ? j : undefined;
    });
    expect(failed.output).toMatchObject({ error: 'invalid_job_payload' });
    expect(JSON.stringify(failed.output)).toContain('note');
    const good = await app.container.queue.send('system.ping', { note: 'after the bad one' });
    await waitUntil(async () => {
      const j = await app.container.boss.getJobById('system.ping', good!);
      return j?.state === 'completed' ? j : undefined;
    });
  });

  test('unknown routes get a JSON 404 with a code', async () => {
    const res = await fetch(`${app.baseUrl}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'route_not_found', message: 'No route for GET /nope' },
    });
  });

  test('every response carries a request id', async () => {
    const res = await fetch(`${app.baseUrl}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});
