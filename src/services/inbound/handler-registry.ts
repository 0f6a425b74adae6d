/**
 * The inbound router: features register a handler per reply-token kind ('prompt', 'message',
 * 'team') or for thread matches of an outbound message kind. The process service verifies the
 * token first, then hands the message to exactly one handler.
 */
import type { ReplyTokenKind } from '../../inbound/reply-token.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import type { ReplyResult } from '../../reply/index.js';

export interface RoutedInbound {
  inboundEmailId: string;
  kind: ReplyTokenKind;
  /** The prompt, outbound message or team id the token (or thread) names. */
  targetId: string;
  memberId?: string;
  from: string;
  via: 'token' | 'thread';
  parsed: ParsedInbound;
  receivedAt: Date;
  verdicts: Record<string, string>;
  /** What the person wrote, extracted once by processing with the sender and the thread. */
  reply: ReplyResult;
}

/** What a handler knows that helps read the reply: names on record, and the mail it answers. */
export interface ReplyHints {
  /** Names the sender may sign with (a member's name on record). */
  senderNames?: string[];
  /** Our outbound messages the reply answers, whose bodies may be pasted back in it. */
  parentMessageIds?: string[];
}

export type HandlerResult =
  | { status: 'processed'; routedTo?: Record<string, unknown> }
  | {
      status: 'ignored';
      reason: Exclude<IgnoreReason, 'auto_reply' | 'bounce' | 'duplicate'>;
      detail?: string;
    };

export interface InboundHandler {
  name: string;
  /**
   * For tokens minted with a memberId: the member the token must be bound to, found from the
   * target and the sender. Null means the sender is not a member there (unknown_sender).
   */
  resolveMemberId?(
    target: { kind: ReplyTokenKind; id: string },
    fromAddress: string,
  ): Promise<string | null>;
  /** Context for reading the reply, asked before `handle`. */
  replyHints?(
    target: { kind: ReplyTokenKind; id: string; memberId?: string },
    fromAddress: string,
  ): Promise<ReplyHints>;
  handle(message: RoutedInbound): Promise<HandlerResult>;
}

export interface HandlerRegistry {
  registerHandler(kind: ReplyTokenKind, handler: InboundHandler): void;
  handlerFor(kind: ReplyTokenKind): InboundHandler | undefined;
}

export function createHandlerRegistry(fallback?: InboundHandler): HandlerRegistry {
  const handlers = new Map<ReplyTokenKind, InboundHandler>();
  return {
    registerHandler(kind, handler) {
      handlers.set(kind, handler);
    },
    handlerFor(kind) {
      return handlers.get(kind) ?? fallback;
    },
  };
}
