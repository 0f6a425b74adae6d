/**
 * The handler used for any token kind no feature has claimed yet: processing has recorded the
 * extracted reply on the InboundEmail; this reports where it was routed. An empty reply is
 * ignored.
 */
import type { InboundHandler } from './handler-registry.js';

export function createGenericHandler(): InboundHandler {
  return {
    name: 'generic',
    async handle(m) {
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
    },
  };
}
