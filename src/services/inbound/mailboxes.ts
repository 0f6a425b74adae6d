/**
 * Mailboxes, as in Action Mailbox: where routed mail is received. The router (routing.ts) is an
 * ordered list of rules (reply token, thread, inbound routes, the default) and each rule names a
 * mailbox and a target in it. Features register their mailbox once, saying which reply-token
 * kinds they minted and which route actions they serve: check-ins claims `prompt` and `team`
 * tokens and the `checkins` action; reply tracking claims `message` tokens; the inbound feature
 * itself serves `webhook`, `forward`, `store` and `reject`.
 *
 * A mailbox is opened once per message: `open` looks the target up (a prompt, its member and
 * team), and the opened mailbox answers everything routing asks of it from that one lookup.
 */
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import type { InboundRoute, RouteAction, RouteActionType } from '../../domain/inbound/route.js';
import type { ReplyTokenKind } from '../../inbound/reply-token.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import type { ReplyResult } from '../../reply/index.js';
import type { Executor } from '../ports.js';
import type { InboundEmailRow } from './ports.js';

/** What a rule names: the object a token or thread points at, or the route that matched. */
export type MailboxTarget =
  { kind: ReplyTokenKind; id: string } | { kind: 'route'; id: string; route: InboundRoute };

export type Via = 'token' | 'thread' | 'route' | 'default';

export interface RoutedInbound {
  inboundEmailId: string;
  kind: MailboxTarget['kind'];
  /** The prompt, outbound message or team id a token or thread names; the route's id. */
  targetId: string;
  target: MailboxTarget;
  memberId?: string;
  from: string;
  via: Via;
  parsed: ParsedInbound;
  /** The stored InboundEmail (provider, envelope, verdicts) as processing claimed it. */
  email: InboundEmailRow;
  /** The bytes as received (a forward attaches them). */
  raw: Buffer;
  /** Bounce, auto-reply or person mail, with the signals that decided it. */
  classification: unknown;
  receivedAt: Date;
  verdicts: Record<string, string>;
  /** What the person wrote, extracted once by processing with the sender and the thread. */
  reply: ReplyResult;
  /** The outbound message this answers, when a token or thread named one. */
  threadMessageId?: string;
}

/** What a mailbox knows that helps read the reply: names on record, and the mail it answers. */
export interface ReplyHints {
  /** Names the sender may sign with (a member's name on record). */
  senderNames?: string[];
  /** Our outbound messages the reply answers, whose bodies may be pasted back in it. */
  parentMessageIds?: string[];
}

/** Work that must commit with the message's settled state (webhook deliveries, forwards). */
export type Commit = (tx: Executor) => Promise<void>;

/** Text for the rejection mail, when a mailbox writes its own (a route's `reject` template). */
export interface RejectionText {
  subject: string;
  body: string;
  /** The rate-limit key: one such mail per address per key per 24 h. */
  key: string;
}

export type MailboxResult =
  | { status: 'processed'; routedTo?: Record<string, unknown>; commit?: Commit }
  | {
      status: 'ignored';
      reason: Exclude<IgnoreReason, 'auto_reply' | 'bounce' | 'duplicate'>;
      detail?: string;
      rejection?: RejectionText;
    };

export interface OpenedMailbox {
  /**
   * For tokens minted with a member id: the member the sender is at the target, or null (the
   * sender is not a member there: unknown_sender).
   */
  memberId?: string | null;
  /** Context for reading the reply, asked before `receive`. */
  hints?: ReplyHints;
  receive(message: RoutedInbound): Promise<MailboxResult>;
}

export interface Mailbox {
  name: string;
  /** Auto-replies reach only mailboxes that say so (an app's webhook): never a feature. */
  takesAutoReplies?: boolean;
  open(target: MailboxTarget, from: string): Promise<OpenedMailbox>;
  /** For route actions it serves: throws a 422 when a route's action names nothing real. */
  checkAction?(action: RouteAction): Promise<void>;
}

/** Which tokens a mailbox minted and which route actions it serves. */
export interface MailboxClaims {
  tokenKinds?: readonly ReplyTokenKind[];
  actions?: readonly RouteActionType[];
}

export interface MailboxRegistry {
  registerMailbox(mailbox: Mailbox, claims: MailboxClaims): void;
  forToken(kind: ReplyTokenKind): Mailbox | undefined;
  forAction(type: RouteActionType): Mailbox | undefined;
}

/** A mailbox with nothing to look up: every message goes straight to `receive`. */
export function simpleMailbox(
  name: string,
  receive: (m: RoutedInbound) => Promise<MailboxResult>,
): Mailbox {
  return { name, open: async () => ({ receive }) };
}

/** `fallback` takes token kinds no feature claimed (inbound-only deployments and tests). */
export function createMailboxRegistry(fallback?: Mailbox): MailboxRegistry {
  const byToken = new Map<ReplyTokenKind, Mailbox>();
  const byAction = new Map<RouteActionType, Mailbox>();
  return {
    registerMailbox(mailbox, claims) {
      for (const k of claims.tokenKinds ?? []) byToken.set(k, mailbox);
      for (const a of claims.actions ?? []) byAction.set(a, mailbox);
    },
    forToken: (kind) => byToken.get(kind) ?? fallback,
    forAction: (type) => byAction.get(type),
  };
}

/**
 * The mailbox for token kinds nobody claimed: processing has recorded the extracted reply on
 * the InboundEmail; this reports where it was routed. An empty reply is ignored.
 */
export const genericMailbox: Mailbox = simpleMailbox('generic', async (m) => {
  if (m.reply.text.trim() === '' && m.parsed.attachments.length === 0) {
    return { status: 'ignored', reason: 'empty' };
  }
  return {
    status: 'processed',
    routedTo: {
      handler: 'generic',
      kind: m.kind,
      id: m.targetId,
      via: m.via,
      ...(m.memberId ? { memberId: m.memberId } : {}),
    },
  };
});
