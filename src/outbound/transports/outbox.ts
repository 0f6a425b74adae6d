/**
 * The outbox transport, used when SMTP_URL is unset: nothing leaves the machine. The service
 * stores the MIME of every accepted attempt anyway (GET /v1/messages/:id/raw), so "sending"
 * to the outbox is an accept; the message still walks queued → sending → sent.
 */
import type { Transport } from '../composed-message.js';

export function createOutboxTransport(): Transport {
  return {
    name: 'outbox',
    async send(_raw, envelope, messageId) {
      return {
        response: `250 stored in outbox ${messageId}`,
        providerMessageId: null,
        accepted: envelope.to,
        rejected: [],
      };
    },
    async close() {},
  };
}
