/**
 * The test app's own start-up: a port taken between the probe and the listen (as a parallel
 * worker's outgoing connection can take it) is retried on another port, not failed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp } from '../support/app.js';

test('a port taken before the listen is retried on a fresh one', async () => {
  const blocker = http.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const taken = (blocker.address() as AddressInfo).port;
  const offered: number[] = [];
  const app = await startTestApp({
    env: (port) => {
      offered.push(offered.length === 0 ? taken : port);
      const chosen = offered[offered.length - 1]!;
      return { PORT: String(chosen), PUBLIC_URL: `http://127.0.0.1:${chosen}` };
    },
  });
  try {
    expect(offered).toHaveLength(2);
    expect(app.port).toBe(offered[1]);
    expect(app.port).not.toBe(taken);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  } finally {
    await app.stop();
    await new Promise<void>((r) => blocker.close(() => r()));
  }
});
