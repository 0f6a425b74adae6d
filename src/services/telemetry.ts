/**
 * The metrics port. Services, jobs and the HTTP edge report what happened through these named
 * calls; main/ implements them with prom-client (main/metrics/) or leaves the no-op default,
 * so a test or a tool that does not care passes nothing.
 *
 * Every argument that becomes a label is from a closed set (a state, a provider, a class, a
 * route template), never an address or an id, so the number of series stays bounded however
 * much mail flows (docs/operations.md, "Metrics").
 */

/** What became of one provider webhook request. */
export type InboundRequestOutcome = 'accepted' | 'duplicate' | 'rejected';

/** An SMTP reply as the metrics group it: by class, or how the connection failed. */
export type SmtpReplyClass = '2xx' | '4xx' | '5xx' | 'timeout' | 'connection';

/** A rate-limit slot close enough to wait for in the worker, or far enough to defer the message. */
export type RateLimitAction = 'inline' | 'deferred';

/** What a webhook delivery attempt ended as: `failed` is final (no retry left, or endpoint off). */
export type WebhookOutcome = 'delivered' | 'retrying' | 'failed';

export type CheckinMailKind = 'prompt' | 'reminder' | 'digest';

export interface Telemetry {
  /** One HTTP request: the route template (`/v1/messages/:id`), never the path itself. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  inboundRequest(provider: string, outcome: InboundRequestOutcome): void;
  /** One processed InboundEmail: processed, ignored (with its reason), failed or skipped. */
  inboundProcessed(provider: string, outcome: string, reason: string | null): void;
  replyExtracted(method: string, signatureCut: boolean): void;
  /** `n` outbound messages moved `from` → `to` (`new` for a message just accepted). */
  messagesTransitioned(from: string, to: string, n: number): void;
  /** `n` recipient deliveries given an outcome by an attempt (accepted, deferred, bounced, …). */
  recipientsSettled(outcome: string, n: number): void;
  /** One transport attempt: how the server answered and how long the hand-over took. */
  smtpReplied(transport: string, reply: SmtpReplyClass, seconds: number): void;
  /** A message reached `sent`, this long after it was due (accepted, or its send_at). */
  messageSent(acceptToSentSeconds: number): void;
  rateLimitWaited(action: RateLimitAction, seconds: number): void;
  suppressionsAdded(reason: string, n: number): void;
  webhookAttempted(outcome: WebhookOutcome): void;
  /** One handler call of a queue: its duration and what became of its jobs. */
  jobBatchFinished(queue: string, seconds: number, completed: number, failed: number): void;
  /** A check-in mail sent, or skipped with a reason (paused, vacation, unsubscribed, …). */
  checkinMail(kind: CheckinMailKind, outcome: 'sent' | 'skipped', reason: string | null): void;
}

const nothing = () => {};

/** The default: counts nothing. */
export const noTelemetry: Telemetry = {
  httpRequest: nothing,
  inboundRequest: nothing,
  inboundProcessed: nothing,
  replyExtracted: nothing,
  messagesTransitioned: nothing,
  recipientsSettled: nothing,
  smtpReplied: nothing,
  messageSent: nothing,
  rateLimitWaited: nothing,
  suppressionsAdded: nothing,
  webhookAttempted: nothing,
  jobBatchFinished: nothing,
  checkinMail: nothing,
};
