/**
 * The handler used for any token kind no feature has claimed yet: it records the extracted
 * reply on the InboundEmail and reports where it was routed. An empty reply is ignored.
 */
import type { InboundHandler } from './handler-registry.js';

export function createGenericHandler(): InboundHandler {
  return {
    name: 'generic',
    async handle(m) {
      const reply = m.extractReply({
        text: m.parsed.text,
        html: m.parsed.html,
        headers: { 'content-type': m.parsed.contentType },
      });
      if (reply.text.trim() === '' && m.parsed.attachments.length === 0) {
        return { status: 'ignored', reason: 'empty', reply };
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
        reply,
      };
    },
  };
}
