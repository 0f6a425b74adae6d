/**
 * The composed message: everything a transport needs, as plain data. Composition decides the
 * headers (compose.ts); a transport only serializes to MIME and hands the bytes over.
 */
import type { Mailbox } from '../domain/outbound/recipients.js';

export interface ComposedAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** For inline images referenced as cid: in the HTML. */
  contentId?: string | undefined;
}

/** Who it is from and to, and what it says: the same before and after composition. */
export interface MessageContent {
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo: Mailbox[];
  subject: string;
  html: string | null;
  text: string | null;
  attachments: ComposedAttachment[];
}

export interface ComposedMessage extends MessageContent {
  /** With angle brackets, as it appears in the header. */
  messageId: string;
  date: Date;
  /** Extra headers in order, already validated; values are single-line. */
  headers: Array<[string, string]>;
  envelope: { from: string; to: string[] };
}

/** A recipient the server refused at RCPT TO, with its own reply. */
export interface RejectedRecipient {
  address: string;
  responseCode: number | null;
  response: string;
}

/** What a transport reports for an accepted message. */
export interface TransportResult {
  /** The server's reply line (for SMTP: "250 2.0.0 Ok: queued as …"). */
  response: string;
  /** The provider's own id, when the reply carries one ("queued as X"). */
  providerMessageId: string | null;
  /** Envelope recipients the server took the message for. */
  accepted: string[];
  /** Recipients the server refused while accepting the rest. */
  rejected: RejectedRecipient[];
}

/** A failed attempt, in the shape classifySmtpFailure() reads. */
export class TransportError extends Error {
  readonly responseCode: number | undefined;
  readonly response: string | undefined;
  readonly code: string | undefined;
  readonly command: string | undefined;
  /** When every recipient was refused at RCPT TO: each one's own reply (they may differ). */
  readonly rejected: RejectedRecipient[];
  constructor(
    message: string,
    f: {
      responseCode?: number;
      response?: string;
      code?: string;
      command?: string;
      rejected?: RejectedRecipient[];
    },
  ) {
    super(message);
    this.name = 'TransportError';
    this.responseCode = f.responseCode;
    this.response = f.response;
    this.code = f.code;
    this.command = f.command;
    this.rejected = f.rejected ?? [];
  }
}

/** Sends serialized MIME. The outbox transport stores it instead of sending. */
export interface Transport {
  readonly name: string;
  send(
    raw: Buffer,
    envelope: { from: string; to: string[] },
    messageId: string,
  ): Promise<TransportResult>;
  close(): Promise<void>;
}
