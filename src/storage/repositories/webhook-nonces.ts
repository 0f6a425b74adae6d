/**
 * webhook_nonces: the one-time tokens some providers sign (Mailgun's `token`), kept until they
 * are past every provider's retry window so a replayed request is refused. A receipt batch
 * records its nonces in the same statement as its rows (inbound-emails.ts `insertReceived`).
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { ReplayNonce } from '../../services/inbound/ports.js';

export async function claimNonce(ex: Executor, nonce: ReplayNonce, now: Date): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    'INSERT INTO webhook_nonces (provider, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [nonce.provider, nonce.nonce, now],
  );
  return rowCount === 1;
}

export async function deleteNonces(ex: Executor, before: Date): Promise<number> {
  const { rowCount } = await query(ex, 'DELETE FROM webhook_nonces WHERE seen_at < $1', [before]);
  return rowCount ?? 0;
}
