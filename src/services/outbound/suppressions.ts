/**
 * The suppression list as a service: the API's CRUD, the lookup other features use (the
 * check-ins feature records unsubscribes here and asks before planning a prompt), and the step
 * accept and deliver share to drop suppressed recipients.
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { normalizeAddress, parseMailbox, type Mailbox } from '../../domain/outbound/recipients.js';
import type {
  MessageStream,
  NewOutboundMessage,
  Suppression,
  SuppressionReason,
  SuppressionScope,
} from '../../domain/outbound/message.js';
import type { Database, Executor } from '../ports.js';
import type { SuppressionFilter, SuppressionRepository } from './ports/index.js';

export interface SuppressionService {
  isSuppressed(address: string, stream: MessageStream): Promise<boolean>;
  add(input: {
    address: string;
    reason: SuppressionReason;
    scope?: SuppressionScope | undefined;
    sourceMessageId?: string | null | undefined;
    detail?: string | null | undefined;
  }): Promise<{ created: boolean }>;
  remove(address: string, scope?: SuppressionScope | undefined): Promise<void>;
  get(address: string): Promise<Suppression[]>;
  list(f: SuppressionFilter): Promise<Suppression[]>;
}

export interface SuppressionDeps {
  db: Database;
  clock: Clock;
  suppressions: SuppressionRepository;
}

function canonical(address: string): string {
  const m = parseMailbox(address);
  if (!m)
    throw new ValidationError(`Not an email address: ${address}`, { address }, 'invalid_address');
  return normalizeAddress(m.address);
}

async function isSuppressed(
  deps: SuppressionDeps,
  address: string,
  stream: MessageStream,
): Promise<boolean> {
  const a = canonical(address);
  return (await deps.suppressions.suppressedAmong(deps.db, [a], stream)).has(a);
}

async function add(
  deps: SuppressionDeps,
  input: Parameters<SuppressionService['add']>[0],
): Promise<{ created: boolean }> {
  const n = await deps.suppressions.addSuppressions(
    deps.db,
    [
      {
        address: canonical(input.address),
        scope: input.scope ?? 'all',
        reason: input.reason,
        sourceMessageId: input.sourceMessageId ?? null,
        detail: input.detail ?? null,
      },
    ],
    deps.clock.now(),
  );
  return { created: n > 0 };
}

async function remove(
  deps: SuppressionDeps,
  address: string,
  scope: SuppressionScope | undefined,
): Promise<void> {
  const n = await deps.suppressions.deleteSuppression(deps.db, canonical(address), scope ?? null);
  if (n === 0) throw new NotFoundError('suppression_not_found', `${address} is not suppressed`);
}

export function createSuppressionService(deps: SuppressionDeps): SuppressionService {
  return {
    isSuppressed: (address, stream) => isSuppressed(deps, address, stream),
    add: (input) => add(deps, input),
    remove: (address, scope) => remove(deps, address, scope),
    get: (address) => deps.suppressions.getSuppressions(deps.db, canonical(address)),
    list: (f) => deps.suppressions.listSuppressions(deps.db, f),
  };
}

// ---------------------------------------------------------------- accept and deliver

type Addressed = Pick<NewOutboundMessage, 'stream' | 'to' | 'cc' | 'bcc' | 'recipients'>;

/** A message with suppressed recipients: all of them (`whole`), or some, already removed. */
export interface SuppressionHit<M> {
  message: M;
  hit: string[];
  whole: boolean;
}

/**
 * Looks up the recipients of `messages` on the suppression list, one query per stream. A
 * message with only some recipients suppressed loses those (to, cc, bcc and recipients); one
 * with all of them suppressed is left as it is for the caller to stop.
 */
export async function stripSuppressed<M extends Addressed>(
  suppressions: Pick<SuppressionRepository, 'suppressedAmong'>,
  ex: Executor,
  messages: readonly M[],
): Promise<Array<SuppressionHit<M>>> {
  const hits: Array<SuppressionHit<M>> = [];
  for (const stream of ['transactional', 'broadcast'] as const) {
    const group = messages.filter((m) => m.stream === stream);
    const all = [...new Set(group.flatMap((m) => m.recipients))];
    if (all.length === 0) continue;
    const suppressed = await suppressions.suppressedAmong(ex, all, stream);
    if (suppressed.size === 0) continue;
    for (const m of group) {
      const hit = m.recipients.filter((r) => suppressed.has(r));
      if (hit.length === 0) continue;
      const whole = hit.length === m.recipients.length;
      if (!whole) {
        const keep = (x: Mailbox) => !suppressed.has(normalizeAddress(x.address));
        m.to = m.to.filter(keep);
        m.cc = m.cc.filter(keep);
        m.bcc = m.bcc.filter(keep);
        m.recipients = m.recipients.filter((r) => !suppressed.has(r));
      }
      hits.push({ message: m, hit, whole });
    }
  }
  return hits;
}
