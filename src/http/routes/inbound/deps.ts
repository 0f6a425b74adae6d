/** What the inbound HTTP routes need; main/features/inbound.ts builds it from config and services. */
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { SnsVerifier } from '../../../inbound/providers/sns.js';
import type { InboundProvider, ProviderSecrets } from '../../../inbound/providers/types.js';
import type { ReceiveService } from '../../../services/inbound/receive.js';
import type { DeliveryEventsService } from '../../../services/inbound/delivery-events.js';
import type { S3ObjectFetcher } from '../../../services/inbound/ports.js';

export interface InboundEndpointSettings extends ProviderSecrets {
  maxBytes: Record<InboundProvider, number>;
}

export interface InboundHttpDeps {
  settings: InboundEndpointSettings;
  receive: ReceiveService;
  events: DeliveryEventsService;
  /** Null when SES_TOPIC_ARNS is unset. */
  sns: SnsVerifier | null;
  confirmSubscription(input: {
    topicArn: string;
    subscribeUrl: string;
    messageId: string;
  }): Promise<void>;
  fetchS3: S3ObjectFetcher | null;
  clock: Clock;
  log: Logger;
}
