/**
 * The suppression list as a service: the API's CRUD, and the lookup other features use (the
 * check-ins feature records unsubscribes here and asks before planning a prompt).
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { normalizeAddress, parseMailbox } from '../../domain/outbound/recipients.js';
import type {
  Suppression,
  SuppressionReason,
  SuppressionScope,
} from '../../domain/outbound/message.js';
import type { OutboundDeps } from './settings.js';

export interface SuppressionService {
  isSuppressed(address: string, stream: 'transactional' | 'broadcast'): Promise<boolean>;
  add(input: {
    address: string;
    reason: SuppressionReason;
    scope?: SuppressionScope | undefined;
    sourceMessageId?: string | null | undefined;
    detail?: string | null | undefined;
  }): Promise<{ created: boolean }>;
  remove(address: string, scope?: SuppressionScope | undefined): Promise<void>;
  get(address: string): Promise<Suppression[]>;
  list(f: {
    address?: string | undefined;
    reason?: string | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<Suppression[]>;
}

export function createSuppressionService(deps: OutboundDeps): SuppressionService {
  const { db, store, clock } = deps;
  const canonical = (address: string) => {
    const m = parseMailbox(address);
    if (!m)
      throw new ValidationError(`Not an email address: ${address}`, { address }, 'invalid_address');
    return normalizeAddress(m.address);
  };
  return {
    async isSuppressed(address, stream) {
      const a = canonical(address);
      return (await store.suppressedAmong(db, [a], stream)).has(a);
    },
    async add(input) {
      const n = await store.addSuppressions(
        db,
        [
          {
            address: canonical(input.address),
            scope: input.scope ?? 'all',
            reason: input.reason,
            sourceMessageId: input.sourceMessageId ?? null,
            detail: input.detail ?? null,
          },
        ],
        clock.now(),
      );
      return { created: n > 0 };
    },
    async remove(address, scope) {
      const n = await store.deleteSuppression(db, canonical(address), scope ?? null);
      if (n === 0) throw new NotFoundError('suppression_not_found', `${address} is not suppressed`);
    },
    get: (address) => store.getSuppressions(db, canonical(address)),
    list: (f) => store.listSuppressions(db, f),
  };
}
