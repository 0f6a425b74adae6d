/** The shared webhook receiver (test/support/webhook-receiver.ts), and a poll for the outbound tests. */
export {
  startReceiver as receiver,
  verifyStandardWebhook,
  type Hit,
} from '../../support/webhook-receiver.js';

/** Polls `pred` every 50 ms until it holds. */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
