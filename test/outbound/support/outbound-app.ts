/**
 * Starts the whole app with the outbound engine pointed at a real SMTP sink, and an admin API
 * key; `api()` calls it over HTTP.
 */
import type { Clock } from '../../../src/lib/clock.js';
import type { OutboundFeature } from '../../../src/main/features/outbound.js';
import type { OutboundServices } from '../../../src/services/outbound/index.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from '../../support/smtp-sink.js';
import type { TestDatabase } from '../../support/db.js';

/** Response bodies are read loosely in tests; each assertion states the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface OutboundTestApp {
  app: TestApp;
  sink: SmtpSink;
  key: string;
  services: OutboundServices;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json; headers: Headers }>;
  /** Polls GET /v1/messages/:id until `pred` holds (or fails after `timeoutMs`). */
  waitForStatus(id: string, statuses: string[], timeoutMs?: number): Promise<Json>;
  stop(): Promise<void>;
}

export async function startOutboundApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    sink?: SmtpSinkOptions;
    noSmtp?: boolean;
    db?: TestDatabase;
    roles?: { web: boolean; worker: boolean };
  } = {},
): Promise<OutboundTestApp> {
  const sink = await startSmtpSink(options.sink);
  const app = await startTestApp({
    env: {
      ...(options.noSmtp ? {} : { SMTP_URL: sink.url, SMTP_IGNORE_TLS: 'true' }),
      MAIL_FROM: 'Postroom Test <noreply@example.com>',
      PUBLIC_URL: 'https://postroom.test',
      OUTBOUND_RETRY_BASE_SECONDS: '0.05',
      OUTBOUND_RETRY_CAP_SECONDS: '0.2',
      OUTBOUND_SWEEP_SECONDS: '1',
      LOG_LEVEL: process.env.OUTBOUND_TEST_LOG ?? 'silent',
      ...options.env,
    },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.db ? { db: options.db } : {}),
    ...(options.roles ? { roles: options.roles } : {}),
  });
  const feature = app.container.features.find((f) => f.name === 'outbound') as OutboundFeature;
  const services = feature.services.all;
  const { key } = await services.apiKeys.create({ name: 'test', scopes: ['admin'] });
  const api: OutboundTestApp['api'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    app,
    sink,
    key,
    services,
    api,
    async waitForStatus(id, statuses, timeoutMs = 15000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await api('GET', `/v1/messages/${id}`);
        if (statuses.includes(r.body.status)) return r.body;
        if (Date.now() > until)
          throw new Error(
            `message ${id} is ${r.body.status}, expected ${statuses.join('|')}: ${JSON.stringify(r.body.events)}`,
          );
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    async stop() {
      await app.stop();
      await sink.close();
    },
  };
}

/** The Message-ID header of a raw message, without angle brackets. */
export function messageIdOf(raw: Buffer): string {
  const m = /^Message-ID:\s*<([^>]+)>/im.exec(raw.toString('latin1'));
  return m ? m[1]! : '';
}
