/**
 * The `forward` route action: the message goes out again through our own outbound engine (its
 * retries, suppressions, timeline), to the route's addresses, Reply-To the original sender.
 * - `attachment` (default): a short note, with the original attached as `message/rfc822`, bytes
 *   as received (headers, signatures and all).
 * - `inline`: the original's headers and body quoted in the message, its attachments attached.
 * The send joins the transaction that settles the inbound email, with an idempotency key per
 * inbound email, so reprocessing never forwards twice. Mail we forwarded that comes back (a
 * route pointing at a mailbox that forwards to us) is not forwarded again.
 */
import type { OutboundMessageInput, OutboundPort } from '../ports.js';
import { routeOf } from './actions.js';
import { simpleMailbox, type Mailbox, type RoutedInbound } from './mailboxes.js';

/** Above this the original is not attached (outbound takes 25 MB of attachments in all). */
export const FORWARD_MAX_BYTES = 18 * 1024 * 1024;
const LOOP_HEADER = 'x-postroom-forwarded';

export interface ForwardDeps {
  outbound: Pick<OutboundPort, 'sendMessage'>;
}

function headerBlock(m: RoutedInbound): string {
  const p = m.parsed;
  return [
    '---------- Forwarded message ---------',
    `From: ${p.from?.name ? `${p.from.name} <${p.from.address}>` : m.from}`,
    `Date: ${(p.date ?? m.receivedAt).toUTCString()}`,
    `Subject: ${p.subject}`,
    `To: ${p.to.join(', ')}`,
    ...(p.cc.length ? [`Cc: ${p.cc.join(', ')}`] : []),
  ].join('\n');
}

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function inlineBody(m: RoutedInbound): Pick<OutboundMessageInput, 'text' | 'html' | 'attachments'> {
  const block = headerBlock(m);
  const p = m.parsed;
  const size = p.attachments.reduce((n, a) => n + a.size, 0);
  return {
    text: `${block}\n\n${p.text}`,
    ...(p.html ? { html: `<pre>${escape(block)}</pre>\n${p.html}` } : {}),
    ...(size <= FORWARD_MAX_BYTES && p.attachments.length
      ? {
          attachments: p.attachments.map((a, n) => ({
            filename: a.filename ?? `attachment-${n + 1}`,
            content: a.content.toString('base64'),
            content_type: a.contentType,
          })),
        }
      : {}),
  };
}

function attachedBody(m: RoutedInbound): Pick<OutboundMessageInput, 'text' | 'attachments'> {
  const note = `${headerBlock(m)}\n\n`;
  if (m.raw.length > FORWARD_MAX_BYTES) {
    return {
      text: `${note}The original (${m.raw.length} bytes) is too large to attach; fetch it with GET /v1/inbound/${m.inboundEmailId}/raw.`,
    };
  }
  return {
    text: `${note}The original message is attached.`,
    attachments: [
      {
        filename: 'original.eml',
        content: m.raw.toString('base64'),
        content_type: 'message/rfc822',
      },
    ],
  };
}

export function createForwardMailbox(deps: ForwardDeps): Mailbox {
  return simpleMailbox('forward', async (m) => {
    const route = routeOf(m);
    if (route.action.type !== 'forward') throw new Error('not a forward route');
    const routedTo = { action: 'forward', route: { id: route.id, name: route.name } };
    if (m.parsed.headers.has(LOOP_HEADER)) {
      return { status: 'processed', routedTo: { ...routedTo, skipped: 'forward_loop' } };
    }
    const { to, mode } = route.action;
    const input: OutboundMessageInput = {
      to,
      subject: `Fwd: ${m.parsed.subject.replace(/[\r\n]+/g, ' ')}`.slice(0, 998),
      ...(mode === 'inline' ? inlineBody(m) : attachedBody(m)),
      reply_to: m.parsed.mailboxes.replyTo[0]?.address ?? m.from,
      headers: { 'X-Postroom-Forwarded': m.inboundEmailId },
      stream: 'transactional',
      kind: 'system',
      tags: ['inbound-forward'],
      metadata: { inbound_email_id: m.inboundEmailId, route_id: route.id },
      idempotency_key: `inbound.forward:${m.inboundEmailId}`,
    };
    return {
      status: 'processed',
      routedTo: { ...routedTo, to, mode },
      commit: async (tx) => {
        await deps.outbound.sendMessage(input, { tx });
      },
    };
  });
}
