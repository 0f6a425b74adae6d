/**
 * The Telemetry port on prom-client: one Registry per process (per container, so tests that run
 * several apps in one process keep them apart), the metrics docs/operations.md lists, and the
 * gauges read from PostgreSQL at scrape time so every process reports the same queue depths,
 * process counts and tick lag.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.js';
import type { OperationsSnapshot } from '../../services/operations/ports.js';
import type { Telemetry } from '../../services/telemetry.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A label value from code (a reason, a method name): lower-case, short, no surprises. */
export function labelValue(v: string | null | undefined): string {
  if (!v) return 'none';
  return (
    v
      .split(':')[0]!
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '_')
      .slice(0, 48) || 'none'
  );
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

const SECONDS_FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_SLOW = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400];

/** HTTP requests and everything inbound: receipt, processing, reply extraction. */
function inboundMetrics(r: { registers: Registry[] }) {
  return {
    http: new Histogram({
      name: 'postroom_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status class.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: SECONDS_FAST,
      ...r,
    }),
    inboundRequests: new Counter({
      name: 'postroom_inbound_requests_total',
      help: 'Provider webhook requests carrying mail, by provider and outcome (accepted, duplicate, rejected).',
      labelNames: ['provider', 'outcome'],
      ...r,
    }),
    inboundProcessed: new Counter({
      name: 'postroom_inbound_processed_total',
      help: 'Inbound emails processed, by provider, outcome and ignore reason.',
      labelNames: ['provider', 'outcome', 'reason'],
      ...r,
    }),
    replies: new Counter({
      name: 'postroom_reply_extractions_total',
      help: 'Reply extractions by method, and whether a signature was cut.',
      labelNames: ['method', 'signature_cut'],
      ...r,
    }),
  };
}

/** The outbound engine: transitions, the transport, latency, rate limits, suppressions, webhooks. */
function outboundMetrics(r: { registers: Registry[] }) {
  return {
    transitions: new Counter({
      name: 'postroom_outbound_transitions_total',
      help: 'Outbound message state changes, by from and to state (from="new" on acceptance).',
      labelNames: ['from', 'to'],
      ...r,
    }),
    recipients: new Counter({
      name: 'postroom_outbound_recipient_outcomes_total',
      help: 'Recipient deliveries settled by a send attempt, by the state it gave them.',
      labelNames: ['outcome'],
      ...r,
    }),
    smtpReplies: new Counter({
      name: 'postroom_smtp_replies_total',
      help: 'Transport attempts by reply class (2xx, 4xx, 5xx, timeout, connection).',
      labelNames: ['transport', 'class'],
      ...r,
    }),
    sendDuration: new Histogram({
      name: 'postroom_outbound_send_duration_seconds',
      help: 'Time to hand one message to the transport.',
      labelNames: ['transport'],
      buckets: SECONDS_FAST,
      ...r,
    }),
    acceptToSent: new Histogram({
      name: 'postroom_outbound_accept_to_sent_seconds',
      help: 'From accepted (or send_at) to sent.',
      buckets: SECONDS_SLOW,
      ...r,
    }),
    rateWaits: new Histogram({
      name: 'postroom_outbound_rate_limit_wait_seconds',
      help: 'Rate-limit waits: inline (the worker sleeps) or deferred (the message waits in the queue).',
      labelNames: ['action'],
      buckets: SECONDS_SLOW,
      ...r,
    }),
    suppressions: new Counter({
      name: 'postroom_suppressions_added_total',
      help: 'Suppression list entries added, by reason.',
      labelNames: ['reason'],
      ...r,
    }),
    webhooks: new Counter({
      name: 'postroom_webhook_attempts_total',
      help: 'Outgoing webhook attempts by outcome (delivered, retrying, failed: no retry left).',
      labelNames: ['outcome'],
      ...r,
    }),
  };
}

/** Jobs per queue, and the check-in mail they send. */
function workMetrics(r: { registers: Registry[] }) {
  return {
    jobDuration: new Histogram({
      name: 'postroom_job_batch_duration_seconds',
      help: 'Duration of one handler call (a batch of jobs), by queue.',
      labelNames: ['queue'],
      buckets: SECONDS_FAST,
      ...r,
    }),
    jobs: new Counter({
      name: 'postroom_jobs_total',
      help: 'Jobs handled, by queue and outcome (completed, failed).',
      labelNames: ['queue', 'outcome'],
      ...r,
    }),
    checkins: new Counter({
      name: 'postroom_checkin_mail_total',
      help: 'Check-in prompts, reminders and digests sent or skipped, with the skip reason.',
      labelNames: ['kind', 'outcome', 'reason'],
      ...r,
    }),
  };
}

/** Read from PostgreSQL at scrape time (applySnapshot), the same in every process. */
function gaugesMetrics(r: { registers: Registry[] }) {
  return {
    queueJobs: new Gauge({
      name: 'postroom_queue_jobs',
      help: "Jobs per queue and state (ready, deferred, active, failed), from pg-boss's queue counts.",
      labelNames: ['queue', 'state'],
      ...r,
    }),
    processes: new Gauge({
      name: 'postroom_processes',
      help: 'Live Postroom processes by role, from their heartbeat rows.',
      labelNames: ['role'],
      ...r,
    }),
    tickLag: new Gauge({
      name: 'postroom_checkins_tick_lag_seconds',
      help: "Seconds since the check-in planner's last completed tick.",
      ...r,
    }),
    databaseUp: new Gauge({
      name: 'postroom_database_up',
      help: '1 when this scrape read the gauges above from PostgreSQL, 0 when that failed.',
      ...r,
    }),
  };
}

function define(register: Registry) {
  const r = { registers: [register] };
  return { ...inboundMetrics(r), ...outboundMetrics(r), ...workMetrics(r), ...gaugesMetrics(r) };
}

type Metrics = ReturnType<typeof define>;

function telemetryOn(m: Metrics): Telemetry {
  return {
    httpRequest(method, route, status, seconds) {
      const verb = METHODS.has(method) ? method : 'OTHER';
      m.http.observe({ method: verb, route, status_class: statusClass(status) }, seconds);
    },
    inboundRequest: (provider, outcome) => m.inboundRequests.inc({ provider, outcome }),
    inboundProcessed: (provider, outcome, reason) =>
      m.inboundProcessed.inc({ provider, outcome, reason: labelValue(reason) }),
    replyExtracted: (method, cut) =>
      m.replies.inc({ method: labelValue(method), signature_cut: String(cut) }),
    messagesTransitioned: (from, to, n) => m.transitions.inc({ from, to }, n),
    recipientsSettled: (outcome, n) => m.recipients.inc({ outcome }, n),
    smtpReplied(transport, reply, seconds) {
      m.smtpReplies.inc({ transport, class: reply });
      m.sendDuration.observe({ transport }, seconds);
    },
    messageSent: (seconds) => m.acceptToSent.observe(Math.max(0, seconds)),
    rateLimitWaited: (action, seconds) => m.rateWaits.observe({ action }, Math.max(0, seconds)),
    suppressionsAdded: (reason, n) => m.suppressions.inc({ reason: labelValue(reason) }, n),
    webhookAttempted: (outcome) => m.webhooks.inc({ outcome }),
    jobBatchFinished(queue, seconds, completed, failed) {
      m.jobDuration.observe({ queue }, seconds);
      if (completed > 0) m.jobs.inc({ queue, outcome: 'completed' }, completed);
      if (failed > 0) m.jobs.inc({ queue, outcome: 'failed' }, failed);
    },
    checkinMail: (kind, outcome, reason) =>
      m.checkins.inc({ kind, outcome, reason: labelValue(reason) }),
  };
}

function applySnapshot(m: Metrics, s: OperationsSnapshot): void {
  m.queueJobs.reset();
  for (const q of s.queues) {
    for (const state of ['ready', 'deferred', 'active', 'failed'] as const)
      m.queueJobs.set({ queue: q.name, state }, q[state]);
  }
  m.processes.reset();
  for (const role of ['web', 'worker'] as const) m.processes.set({ role }, s.processes[role]);
  m.tickLag.reset();
  if (s.tickLagSeconds !== null) m.tickLag.set(s.tickLagSeconds);
}

export interface PrometheusMetrics {
  telemetry: Telemetry;
  contentType: string;
  /** Reads the PostgreSQL gauges, then renders every metric in the text format. */
  render(): Promise<string>;
}

export function createPrometheusMetrics(
  readSnapshot: () => Promise<OperationsSnapshot>,
  log: Logger,
): PrometheusMetrics {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const m = define(register);
  return {
    telemetry: telemetryOn(m),
    contentType: register.contentType,
    async render() {
      try {
        applySnapshot(m, await readSnapshot());
        m.databaseUp.set(1);
      } catch (err) {
        // The process's own counters are still worth a scrape when the database is away.
        log.warn({ err }, 'metrics: reading the gauges from PostgreSQL failed');
        m.databaseUp.set(0);
      }
      return register.metrics();
    },
  };
}
