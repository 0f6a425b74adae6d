/**
 * What every provider adapter produces: the raw RFC 822 bytes plus what the provider told us
 * about them. The HTTP layer hands adapters raw bytes (or, for form posts, fields as bytes);
 * adapters authenticate first and never touch the database.
 */
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import {
  isUnmapped,
  type MappedEvent,
  type UnmappedEvent,
} from '../../domain/inbound/unmapped-event.js';

export const INBOUND_PROVIDERS = ['sendgrid', 'mailgun', 'postmark', 'ses', 'relay'] as const;
export type InboundProvider = (typeof INBOUND_PROVIDERS)[number];

export interface RawInbound {
  provider: InboundProvider;
  /** The provider's stable id for this delivery (Mailgun token, Postmark MessageID, SES messageId). */
  providerEventId: string | null;
  raw: Buffer;
  envelope: { from: string | null; to: string[] };
  /** Provider verdicts kept as given: spam score/flag, SPF, DKIM, DMARC, virus. */
  verdicts: Record<string, string>;
  /** Provider extras worth keeping next to our own parse (stripped reply text, …). */
  extras: Record<string, string>;
}

/** Each provider endpoint's secrets (lists, so they can be rotated); config builds them. */
export interface ProviderSecrets {
  mailgun: { signingKeys: string[]; webhookSigningKeys: string[]; maxAgeSeconds: number };
  sendgrid: {
    auth: string[];
    allowIps: string[];
    eventPublicKeys: string[];
    eventMaxAgeSeconds: number;
  };
  postmark: { auth: string[]; webhookAuth: string[] };
  ses: { topicArns: string[] };
  relay: { tokens: string[] };
}

/** A delivery-event webhook's events, mapped to the one taxonomy, and its replay nonce. */
export interface EventBatch {
  events: DeliveryEvent[];
  /** Events of a type that moves no message (or that we do not know): stored apart. */
  unmapped: UnmappedEvent[];
  /** Replay nonce when the scheme has one (Mailgun token). */
  nonce: string | null;
}

/** Splits mapped events into the taxonomy ones and the unmapped ones. */
export function eventBatch(mapped: readonly MappedEvent[], nonce: string | null): EventBatch {
  return {
    events: mapped.filter((e): e is DeliveryEvent => !isUnmapped(e)),
    unmapped: mapped.filter(isUnmapped),
    nonce,
  };
}

export interface HttpHeaders {
  [name: string]: string | string[] | undefined;
}

/** A multipart or urlencoded form with every value kept as bytes (charsets vary per field). */
export interface FormPayload {
  fields: Map<string, Buffer>;
  files: Array<{ field: string; filename: string; contentType: string; content: Buffer }>;
}

export function header(headers: HttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function fieldText(form: FormPayload, name: string): string | undefined {
  return form.fields.get(name)?.toString('utf8');
}
