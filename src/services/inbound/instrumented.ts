/**
 * The inbound engine's metrics at its seams: receipt (accepted or a provider's retry of mail we
 * already hold), reply extraction (which method found the reply, and whether a signature was
 * cut) and processing outcomes. main/features/inbound.ts wraps the real services with these.
 */
import type { ExtractReply } from '../../reply/index.js';
import type { Telemetry } from '../telemetry.js';
import type { ReceiveService } from './receive.js';

export function instrumentReceive(receive: ReceiveService, t: Telemetry): ReceiveService {
  return {
    async receive(input, nonce) {
      const result = await receive.receive(input, nonce);
      t.inboundRequest(input.provider, result.duplicate ? 'duplicate' : 'accepted');
      return result;
    },
  };
}

export function instrumentExtractReply(extract: ExtractReply, t: Telemetry): ExtractReply {
  return (input, context) => {
    const result = extract(input, context);
    t.replyExtracted(result.method, result.signature.trim() !== '');
    return result;
  };
}

export function countProcessed(
  t: Pick<Telemetry, 'inboundProcessed'>,
  provider: string,
  o: { status: string; reason?: string | undefined },
): void {
  t.inboundProcessed(provider, o.status, o.reason ?? null);
}
