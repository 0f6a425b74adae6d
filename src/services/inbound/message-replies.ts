/**
 * Reply tracking: the mailbox for `message` reply tokens and thread matches on any message sent
 * through /v1/messages. A reply gets a `replied` event on the message's timeline, appears in
 * GET /v1/messages/:id/replies, and is delivered as `inbound.received` with `thread` filled (the
 * message, its metadata and tags) to every endpoint subscribed to `inbound.received`, plus the
 * endpoint whose in-band reply the message was (metadata `_postroom.webhook_endpoint_id`), so a
 * conversation started from a route's webhook stays with that webhook. An auto-reply (out of
 * office) to the message is delivered too, classified `auto_reply`, but is not a `replied`.
 */
import type { Clock } from '../../lib/clock.js';
import type { WebhookPort } from '../ports.js';
import type { Mailbox, MailboxResult, RoutedInbound } from './mailboxes.js';
import { attachmentFacts, inboundPayload, INBOUND_RECEIVED } from './payload.js';
import type { ThreadLookup, ThreadMatch } from './ports.js';
import type { InboundUrls } from './signed-urls.js';

export interface MessageRepliesDeps {
  clock: Clock;
  threads: Pick<ThreadLookup, 'findById' | 'recordReply'>;
  webhooks: Pick<WebhookPort, 'enqueueEvent'>;
  urls: InboundUrls;
  settings: { payloadMaxBytes: number };
}

/** Where an in-band reply records the endpoint that wrote it (services/inbound/inband-reply.ts). */
export const POSTROOM_METADATA = '_postroom';

function replyEndpoint(thread: ThreadMatch): string[] {
  const ours = thread.metadata[POSTROOM_METADATA];
  const id =
    ours && typeof ours === 'object' ? (ours as Record<string, unknown>).webhook_endpoint_id : null;
  return typeof id === 'string' ? [id] : [];
}

async function receive(
  deps: MessageRepliesDeps,
  thread: ThreadMatch | null,
  m: RoutedInbound,
): Promise<MailboxResult> {
  const autoReply = isAutoReply(m.classification);
  if (!autoReply && m.reply.text.trim() === '' && m.parsed.attachments.length === 0) {
    return { status: 'ignored', reason: 'empty' };
  }
  const routedTo = {
    handler: 'messages',
    kind: m.kind,
    id: m.targetId,
    via: m.via,
    outbound_message_id: thread?.outboundMessageId ?? null,
  };
  if (!thread) return { status: 'processed', routedTo };
  const now = deps.clock.now();
  const { payload } = inboundPayload(
    {
      email: m.email,
      mail: m.parsed,
      reply: m.reply,
      classification: m.classification,
      attachments: attachmentFacts(m.parsed),
      thread,
      route: null,
    },
    deps.urls,
    now,
    deps.settings.payloadMaxBytes,
  );
  return {
    status: 'processed',
    routedTo,
    commit: async (tx) => {
      if (!autoReply)
        await deps.threads.recordReply(tx, thread.outboundMessageId, m.inboundEmailId, now);
      await deps.webhooks.enqueueEvent(tx, {
        eventType: INBOUND_RECEIVED,
        payload,
        endpointIds: replyEndpoint(thread),
        subscribers: true,
        inboundEmailId: m.inboundEmailId,
      });
    },
  };
}

/** An out-of-office answer is delivered (classified) but is not a reply on the timeline. */
const isAutoReply = (c: unknown) =>
  !!c && typeof c === 'object' && (c as { kind?: unknown }).kind === 'auto_reply';

export function createMessageRepliesMailbox(deps: MessageRepliesDeps): Mailbox {
  return {
    name: 'messages',
    takesAutoReplies: true,
    async open(target) {
      const thread = target.kind === 'message' ? await deps.threads.findById(target.id) : null;
      return { receive: (m) => receive(deps, thread, m) };
    },
  };
}
