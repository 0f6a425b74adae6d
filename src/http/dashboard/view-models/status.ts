/** Maps any lifecycle status (outbound, inbound, webhook, prompt) to a badge tone. */
const OK = new Set([
  'sent',
  'accepted',
  'delivered',
  'processed',
  'succeeded',
  'active',
  'answered',
  'success',
]);
const WARN = new Set([
  'scheduled',
  'partially_sent',
  'queued',
  'sending',
  'deferred',
  'received',
  'processing',
  'pending',
  'retrying',
  'paused',
  'ignored',
]);
const BAD = new Set([
  'failed',
  'bounced',
  'complained',
  'expired',
  'suppressed',
  'dead',
  'revoked',
  'missed',
  'canceled',
]);

export type Tone = 'ok' | 'warn' | 'bad' | '';

export function statusTone(status: string): Tone {
  if (OK.has(status)) return 'ok';
  if (WARN.has(status)) return 'warn';
  if (BAD.has(status)) return 'bad';
  return '';
}
