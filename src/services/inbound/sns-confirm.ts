/**
 * Confirms an SNS subscription from a job, never from the request: only for a topic on the
 * allowlist, only at the pinned `https://sns.<region>.amazonaws.com/` host of that topic (so a
 * forged SubscribeURL cannot make us fetch an internal address), without redirects, and
 * through the SSRF guard (lib/net/guarded-request.ts), which checks the address connected to.
 */
import { isPinnedSnsUrl } from '../../inbound/providers/sns.js';
import { guardedRequest } from '../../lib/net/guarded-request.js';
import type { Logger } from '../../lib/logger.js';

export type SnsHttpGet = (url: string) => Promise<{ status: number }>;

export const safeSnsGet: SnsHttpGet = async (url) => {
  const res = await guardedRequest(url, {
    timeoutMs: 10_000,
    maxResponseBytes: 64 * 1024,
    truncate: true,
  });
  return { status: res.status };
};

export interface SnsConfirmDeps {
  topicArns: readonly string[];
  get: SnsHttpGet;
  log: Logger;
}

export interface SubscriptionRequest {
  topicArn: string;
  subscribeUrl: string;
}

async function confirm(
  deps: SnsConfirmDeps,
  input: SubscriptionRequest,
): Promise<'confirmed' | 'refused'> {
  if (
    !deps.topicArns.includes(input.topicArn) ||
    !isPinnedSnsUrl(input.subscribeUrl, input.topicArn, 'subscribe')
  ) {
    deps.log.warn(
      { topicArn: input.topicArn },
      'SNS subscription refused: topic or URL not allowed',
    );
    return 'refused';
  }
  const { status } = await deps.get(input.subscribeUrl);
  if (status < 200 || status >= 300) throw new Error(`SNS confirmation answered HTTP ${status}`);
  deps.log.info({ topicArn: input.topicArn }, 'SNS subscription confirmed');
  return 'confirmed';
}

export function createSnsConfirmService(deps: SnsConfirmDeps) {
  return { confirm: (input: SubscriptionRequest) => confirm(deps, input) };
}

export type SnsConfirmService = ReturnType<typeof createSnsConfirmService>;
