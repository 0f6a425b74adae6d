/**
 * inbound_rejection_limits: when a rejection mail last went to an address for a reason, so it
 * goes at most once per 24 h (services/inbound/rejections.ts).
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';

export async function claimRejectionSlot(
  ex: Executor,
  address: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    `INSERT INTO inbound_rejection_limits (address, reason, last_sent_at) VALUES ($1, $2, $3)
     ON CONFLICT (address, reason) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
       WHERE inbound_rejection_limits.last_sent_at <= EXCLUDED.last_sent_at - interval '24 hours'`,
    [address, reason, now],
  );
  return rowCount === 1;
}
