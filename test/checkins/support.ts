import type { Clock } from '../../src/lib/clock.js';
import { mailgunMimeRequest } from '../../scripts/providers/sign.js';
import { startOutboundApp, type OutboundTestApp } from '../outbound/support/outbound-app.js';
/** Helpers for the check-in tests: settings, a queue that records what the planner enqueues. */
import type { CheckinsSettings } from '../../src/services/checkins/settings.js';
import type { EnqueueOptions, JobPayloads, JobQueue, QueueName } from '../../src/services/ports.js';

export const SECRET = 'checkins-test-secret-0123456789abcdef0123456789';

export function testSettings(overrides: Partial<CheckinsSettings> = {}): CheckinsSettings {
  return {
    catchUpHours: 6,
    maxLookbackHours: 48,
    quietHours: { start: '22:00', end: '07:00' },
    defaultQuestion: 'What did you get done today?',
    from: 'Postroom <checkins@example.test>',
    inboundDomain: 'in.example.test',
    publicUrl: 'http://postroom.test',
    secret: SECRET,
    replyTokenDays: 30,
    batchSize: 100,
    ...overrides,
  };
}

/** Records jobs instead of running them: planner tests assert on the rows, not on delivery. */
export class RecordingQueue implements JobQueue {
  readonly jobs: Array<{ name: string; data: unknown }> = [];
  async send<N extends QueueName>(
    name: N,
    data: JobPayloads[N],
    _options?: EnqueueOptions,
  ): Promise<string | null> {
    this.jobs.push({ name, data });
    return String(this.jobs.length);
  }
  async sendMany<N extends QueueName>(
    name: N,
    items: ReadonlyArray<{ data: JobPayloads[N] }>,
  ): Promise<void> {
    for (const i of items) this.jobs.push({ name, data: i.data });
  }
  named(name: string): unknown[] {
    return this.jobs.filter((j) => j.name === name).map((j) => j.data);
  }
}

import { newId } from '../../src/lib/ids.js';
import type { OutboundMessageInput, OutboundPort } from '../../src/services/ports.js';

/** Records what the services hand to the outbound engine (the e2e test uses the real one). */
export class RecordingOutbound implements Pick<OutboundPort, 'sendMessage'> {
  readonly sent: OutboundMessageInput[] = [];
  async sendMessage(input: OutboundMessageInput) {
    this.sent.push(input);
    const id = newId();
    return { id, status: 'queued', message_id: `<${id}@postroom.test>` };
  }
  ofKind(kind: OutboundMessageInput['kind']): OutboundMessageInput[] {
    return this.sent.filter((m) => m.kind === kind);
  }
}

/** Real time plus an offset: outbound and pg-boss run on real time, the test moves the day. */
export class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** Polls `fn` until it returns something truthy, or fails naming `what` after `ms`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 20000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const INBOUND_DOMAIN = 'in.postroom.test';

/** The whole app for end-to-end check-ins: Mailgun inbound on, the tick driven by the test. */
export function startCheckinsApp(clock: Clock, mailgunKey: string): Promise<OutboundTestApp> {
  return startOutboundApp({
    clock,
    env: {
      INBOUND_DOMAIN,
      MAILGUN_SIGNING_KEYS: mailgunKey,
      CHECKINS_TICK_ENABLED: 'false',
      CHECKINS_QUIET_HOURS: 'off',
    },
  });
}

/** POSTs a raw mail through the Mailgun webhook; returns the inbound email's id. */
export async function postThroughMailgun(
  h: OutboundTestApp,
  raw: Buffer,
  to: string,
  key: string,
): Promise<string> {
  const req = mailgunMimeRequest(raw, { key, recipient: to });
  const res = await fetch(h.app.baseUrl + req.path, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}
