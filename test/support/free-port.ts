/**
 * A port free right now, for apps that must know their PUBLIC_URL before they listen. It is
 * drawn below Linux's default ephemeral range (32768–60999): ports there are also handed to
 * every outgoing connection the parallel test workers open, so one probed free can be taken
 * before the app binds it. Callers still retry on EADDRINUSE; this makes the retry rare.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const LOW = 20_000;
const HIGH = 32_000;

function tryListen(port: number): Promise<number | undefined> {
  const server = http.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await tryListen(LOW + Math.floor(Math.random() * (HIGH - LOW)));
    if (port !== undefined) return port;
  }
  const any = await tryListen(0);
  if (any === undefined) throw new Error('no free port');
  return any;
}
