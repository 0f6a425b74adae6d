/**
 * The WebhookEndpoint repository: endpoints (webhook_endpoints), the deliveries queued for them
 * (webhook_deliveries) and every delivery attempt (webhook_attempts).
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  NewWebhookDelivery,
  NewWebhookEndpoint,
  RecordedAttempt,
  WebhookAttempt,
  WebhookAttemptRecord,
} from '../../services/outbound/ports/index.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../domain/outbound/message.js';

function toEndpoint(r: Record<string, unknown>): WebhookEndpoint {
  return {
    id: r.id as string,
    url: r.url as string,
    events: r.events as string[],
    secret: r.secret as string,
    enabled: r.enabled as boolean,
    consecutiveFailures: r.consecutive_failures as number,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    disabledAt: (r.disabled_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

function toDelivery(r: Record<string, unknown>): WebhookDelivery {
  return {
    id: r.id as string,
    endpointId: r.endpoint_id as string,
    eventType: r.event_type as string,
    messageId: (r.message_id as string | null) ?? null,
    inboundEmailId: (r.inbound_email_id as string | null) ?? null,
    payload: r.payload,
    status: r.status as WebhookDelivery['status'],
    attempts: r.attempts as number,
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    lastStatusCode: (r.last_status_code as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    createdAt: r.created_at as Date,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
  };
}

export async function insertEndpoint(
  ex: Executor,
  e: NewWebhookEndpoint,
  now: Date,
): Promise<WebhookEndpoint> {
  const { rows } = await query(
    ex,
    `INSERT INTO webhook_endpoints (id, url, events, secret, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [e.id, e.url, e.events, e.secret, now],
  );
  return toEndpoint(rows[0]!);
}

export async function listEndpoints(ex: Executor, onlyEnabled = false): Promise<WebhookEndpoint[]> {
  const { rows } = await query(
    ex,
    `SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND ($1::boolean = false OR enabled) ORDER BY created_at`,
    [onlyEnabled],
  );
  return rows.map(toEndpoint);
}

export async function getEndpoint(ex: Executor, id: string): Promise<WebhookEndpoint | null> {
  const { rows } = await query(
    ex,
    `SELECT * FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  return rows[0] ? toEndpoint(rows[0]) : null;
}

export async function deleteEndpoint(ex: Executor, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    `UPDATE webhook_endpoints SET deleted_at = $2, enabled = false WHERE id = $1 AND deleted_at IS NULL`,
    [id, now],
  );
  return (rowCount ?? 0) > 0;
}

export async function enableEndpoint(ex: Executor, id: string): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    `UPDATE webhook_endpoints SET enabled = true, consecutive_failures = 0, disabled_reason = NULL, disabled_at = NULL
     WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  return (rowCount ?? 0) > 0;
}

export async function insertDeliveries(
  ex: Executor,
  items: readonly NewWebhookDelivery[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await query(
    ex,
    `INSERT INTO webhook_deliveries (id, endpoint_id, event_type, message_id, payload, status, created_at, inbound_email_id)
     SELECT id, e, t, m, p, 'pending', $6, i
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::jsonb[], $7::uuid[]) AS x(id, e, t, m, p, i)`,
    [
      items.map((i) => i.id),
      items.map((i) => i.endpointId),
      items.map((i) => i.eventType),
      items.map((i) => i.messageId),
      items.map((i) => JSON.stringify(i.payload)),
      now,
      items.map((i) => i.inboundEmailId ?? null),
    ],
  );
}

export async function getDelivery(ex: Executor, id: string): Promise<WebhookDelivery | null> {
  const { rows } = await query(ex, `SELECT * FROM webhook_deliveries WHERE id = $1`, [id]);
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function listDeliveries(
  ex: Executor,
  endpointId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  const { rows } = await query(
    ex,
    `SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [endpointId, limit],
  );
  return rows.map(toDelivery);
}

export async function listAttempts(
  ex: Executor,
  deliveryId: string,
): Promise<WebhookAttemptRecord[]> {
  const { rows } = await query(
    ex,
    `SELECT attempt, status_code, error, duration_ms, at FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`,
    [deliveryId],
  );
  return rows.map((r) => ({
    attempt: r.attempt as number,
    statusCode: (r.status_code as number | null) ?? null,
    error: (r.error as string | null) ?? null,
    durationMs: r.duration_ms as number,
    at: r.at as Date,
  }));
}

/** Records one attempt and its outcome on the delivery and the endpoint, in one go. */
export async function recordAttempt(ex: Executor, a: WebhookAttempt): Promise<RecordedAttempt> {
  await query(
    ex,
    `INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.deliveryId, a.attempt, a.statusCode, a.error, a.durationMs, a.now],
  );
  await query(
    ex,
    `UPDATE webhook_deliveries SET attempts = $2, last_status_code = $3, last_error = $4,
       status = CASE WHEN $5 THEN 'delivered' WHEN $6::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
       next_attempt_at = $6, delivered_at = CASE WHEN $5 THEN $7 ELSE delivered_at END
     WHERE id = $1`,
    [a.deliveryId, a.attempt, a.statusCode, a.error, a.ok, a.nextAttemptAt, a.now],
  );
  const { rows } = await query<{ enabled: boolean }>(
    ex,
    `UPDATE webhook_endpoints SET
       consecutive_failures = CASE WHEN $2 THEN 0 ELSE consecutive_failures + 1 END,
       enabled = CASE WHEN NOT $2 AND consecutive_failures + 1 >= $3 THEN false ELSE enabled END,
       disabled_reason = CASE WHEN NOT $2 AND consecutive_failures + 1 >= $3 AND enabled
         THEN 'disabled after ' || $3 || ' consecutive failed deliveries' ELSE disabled_reason END,
       disabled_at = CASE WHEN NOT $2 AND consecutive_failures + 1 >= $3 AND enabled THEN $4 ELSE disabled_at END
     WHERE id = $1 RETURNING enabled`,
    [a.endpointId, a.ok, a.disableAfter, a.now],
  );
  return { endpointDisabled: rows[0] ? !rows[0].enabled : false };
}

/** Manual retry: the delivery goes back to pending; its attempt history stays. */
export async function resetDelivery(ex: Executor, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2 WHERE id = $1`,
    [id, now],
  );
  return (rowCount ?? 0) > 0;
}

/** Retention: finished deliveries (delivered, or failed for good) created before `before`, with their attempts. */
export async function pruneDeliveries(ex: Executor, before: Date, limit: number): Promise<number> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM webhook_deliveries w USING (
       SELECT id FROM webhook_deliveries WHERE created_at < $1 AND status <> 'pending' LIMIT $2) d
     WHERE w.id = d.id`,
    [before, limit],
  );
  return rowCount ?? 0;
}
