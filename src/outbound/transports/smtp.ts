/**
 * The SMTP transport: a nodemailer pool (connection reuse is worth 100× against a server with a
 * greeting delay, perf.md finding 7). nodemailer's own retry is switched off (maxRequeues 0):
 * a connection dropped mid-DATA must surface as an error so the state machine defers the
 * message, instead of nodemailer silently re-sending it.
 */
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import {
  TransportError,
  type RejectedRecipient,
  type Transport,
  type TransportResult,
} from '../composed-message.js';

export interface SmtpTransportSettings {
  url: string;
  maxConnections: number;
  maxMessagesPerConnection: number;
  /** Require STARTTLS (refuse to send in clear). */
  requireTls: boolean;
  /** Never upgrade with STARTTLS (local sinks and Mailpit). */
  ignoreTls: boolean;
  /** Verify the server's certificate. */
  tlsRejectUnauthorized: boolean;
  connectionTimeoutMs: number;
  socketTimeoutMs: number;
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  recipient?: string;
  rejectedErrors?: NodemailerError[];
}

/** Each refused recipient with its own reply (a 451 for one and a 550 for another). */
function rejectedOf(errors: NodemailerError[] | undefined): RejectedRecipient[] {
  return (errors ?? []).map((e) => ({
    address: String(e.recipient ?? ''),
    responseCode: e.responseCode ?? null,
    response: e.response ?? e.message,
  }));
}

export function createSmtpTransport(s: SmtpTransportSettings): Transport {
  const url = new URL(s.url);
  const transporter: Mail = createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    maxConnections: s.maxConnections,
    maxMessages: s.maxMessagesPerConnection,
    maxRequeues: 0,
    requireTLS: s.requireTls,
    ignoreTLS: s.ignoreTls,
    tls: { rejectUnauthorized: s.tlsRejectUnauthorized },
    connectionTimeout: s.connectionTimeoutMs,
    socketTimeout: s.socketTimeoutMs,
    greetingTimeout: s.connectionTimeoutMs,
  } as Parameters<typeof createTransport>[0]);

  return {
    name: 'smtp',
    async send(raw, envelope, messageId): Promise<TransportResult> {
      try {
        const info = (await transporter.sendMail({ envelope, raw, messageId })) as {
          response?: string;
          accepted?: Array<string | { address: string }>;
          rejectedErrors?: NodemailerError[];
        };
        const response = info.response ?? '250 OK';
        const accepted = (info.accepted ?? []).map((a) => (typeof a === 'string' ? a : a.address));
        const rejected = rejectedOf(info.rejectedErrors);
        return { response, providerMessageId: queuedAs(response), accepted, rejected };
      } catch (raw) {
        const e = raw as NodemailerError;
        throw new TransportError(e.message ?? 'SMTP error', {
          ...(e.responseCode !== undefined ? { responseCode: e.responseCode } : {}),
          ...(e.response !== undefined ? { response: e.response } : { response: e.message }),
          ...(e.code !== undefined ? { code: e.code } : {}),
          ...(e.command !== undefined ? { command: e.command } : {}),
          rejected: rejectedOf(e.rejectedErrors),
        });
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** Postfix and most relays answer "250 2.0.0 Ok: queued as 4FhX2…": keep that id. */
function queuedAs(response: string): string | null {
  const m = /queued as ([A-Za-z0-9._-]+)/i.exec(response);
  return m ? m[1]! : null;
}
