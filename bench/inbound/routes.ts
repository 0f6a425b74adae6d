/**
 * The route-and-webhook path (issue 12): a provider POST (a freshly signed ~4 KB Mailgun
 * `body-mime`) → stored → `inbound.process` → route `*@DOMAIN` → `inbound.received` through the
 * webhook engine → a local receiver. Two runs on one server:
 * - throughput: `messages` POSTs, `concurrency` in flight (ingress outruns the pipeline, so a
 *   backlog forms); messages/s over the span from the first POST to the last arrival;
 * - latency: POSTs paced at half that rate (open loop, so no backlog builds), each message's
 *   latency from the start of its POST to its arrival at the receiver (matched by Message-ID).
 * The receiver lives in this process, the server (web and worker in one) in a child, so neither
 * shares the other's event loop.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RouteRun {
  throughput: { messages: number; seconds: number; perSecond: number; delivered: number };
  paced: { rate: number; p50: number; p99: number; delivered: number };
}

export interface RouteBenchDeps {
  /** Starts the `routes` server against the receiver; returns its port and a stop. */
  startServer(receiverUrl: string): Promise<{ port: number; stop(): void }>;
  /** A signed Mailgun request for message i to `to`, with its Message-ID (no brackets). */
  signed(i: number, to: string): { body: Buffer; contentType: string; messageId: string };
  domain: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function startReceiver(arrivals: Map<string, number>) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = (JSON.parse(Buffer.concat(chunks).toString()) as { data: { message_id: string } })
        .data.message_id;
      if (!arrivals.has(id)) arrivals.set(id, performance.now());
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbound`;
  return { url, close: () => new Promise((r) => server.close(r)) };
}

/** One signed POST of message i; records when it started under its Message-ID. */
async function postOne(
  deps: RouteBenchDeps,
  port: number,
  i: number,
  started: Map<string, number>,
): Promise<void> {
  const { body, contentType, messageId } = deps.signed(i, `bench@${deps.domain}`);
  started.set(messageId, performance.now());
  const res = await fetch(`http://127.0.0.1:${port}/inbound/mailgun/mime`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  if (res.status !== 200) throw new Error(`ingress answered ${res.status}`);
  await res.arrayBuffer();
}

/** Posts `count` messages, `concurrency` at a time; returns each Message-ID's start time. */
async function post(
  deps: RouteBenchDeps,
  port: number,
  from: number,
  count: number,
  concurrency: number,
): Promise<Map<string, number>> {
  const started = new Map<string, number>();
  let next = from;
  const worker = async () => {
    while (next < from + count) await postOne(deps, port, next++, started);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return started;
}

/** Posts `count` messages at `rate` per second, not waiting for one to answer to start the next. */
async function paced(
  deps: RouteBenchDeps,
  port: number,
  from: number,
  count: number,
  rate: number,
): Promise<Map<string, number>> {
  const started = new Map<string, number>();
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(postOne(deps, port, from + i, started));
  }
  await Promise.all(inFlight);
  return started;
}

async function arrivedAll(arrivals: Map<string, number>, ids: Iterable<string>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const wanted = [...ids];
  while (!wanted.every((id) => arrivals.has(id))) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function latencies(started: Map<string, number>, arrivals: Map<string, number>): number[] {
  return [...started]
    .filter(([id]) => arrivals.has(id))
    .map(([id, t]) => arrivals.get(id)! - t)
    .sort((a, b) => a - b);
}

export async function runRouteBench(
  deps: RouteBenchDeps,
  opts: { messages: number; concurrency: number },
): Promise<RouteRun> {
  const arrivals = new Map<string, number>();
  const receiver = await startReceiver(arrivals);
  const server = await deps.startServer(receiver.url);
  try {
    const warm = await post(deps, server.port, 0, 100, opts.concurrency);
    await arrivedAll(arrivals, warm.keys(), 60_000);
    const started = await post(deps, server.port, 100, opts.messages, opts.concurrency);
    await arrivedAll(arrivals, started.keys(), 300_000);
    const first = Math.min(...started.values());
    const last = Math.max(...[...started.keys()].map((id) => arrivals.get(id) ?? 0));
    const seconds = (last - first) / 1000;
    const delivered = latencies(started, arrivals).length;
    const perSecond = delivered / seconds;
    const rate = Math.max(1, perSecond / 2);
    const count = Math.max(50, Math.round(rate * 10));
    const slow = await paced(deps, server.port, 100 + opts.messages, count, rate);
    await arrivedAll(arrivals, slow.keys(), 120_000);
    const lat = latencies(slow, arrivals);
    return {
      throughput: { messages: opts.messages, seconds, perSecond, delivered },
      paced: {
        rate,
        p50: Math.round(percentile(lat, 50)),
        p99: Math.round(percentile(lat, 99)),
        delivered: lat.length,
      },
    };
  } finally {
    server.stop();
    await receiver.close();
  }
}
