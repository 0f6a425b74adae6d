/**
 * The outbound use cases, assembled. main/features/outbound.ts builds the deps; HTTP routes,
 * jobs and other features (inbound, check-ins) call these. Each service takes from `deps` only
 * what its own deps type names, and the services it calls by name (`…Service`).
 */
import type { Transport } from '../../outbound/composed-message.js';
import { createAcceptService, type AcceptService } from './accept.js';
import { createApiKeyService, type ApiKeyService } from './api-keys.js';
import { createDeliverService, type DeliverService, type MimeBuilder } from './deliver.js';
import { createRecordDeliveryEvent, type RecordDeliveryEvent } from './delivery-events.js';
import { createMessageService, type MessageService } from './messages.js';
import { createOutboundRetentionService, type OutboundRetentionService } from './retention.js';
import type { OutboundDeps } from './settings.js';
import { createSuppressionService, type SuppressionService } from './suppressions.js';
import { createSweepService, type SweepService } from './sweep.js';
import { createTemplateService, type TemplateService } from './templates.js';
import { createUnsubscribeService, type UnsubscribeService } from './unsubscribe.js';
import { createWebhookService, type WebhookService } from './webhooks.js';

export type { OutboundDeps, OutboundSettings } from './settings.js';
export type { SendResult, BatchResult, AcceptOptions } from './accept.js';
export type { RecordDeliveryEvent } from './delivery-events.js';
export type { SuppressionService } from './suppressions.js';
export type { ApiKeyService } from './api-keys.js';
export type { ApiKeyUsage } from './key-usage.js';
export type { MimeBuilder } from './deliver.js';
export { COMMITS_IN_FLIGHT } from './deliver-recorder.js';

export interface OutboundServices {
  sendMessage: AcceptService['sendMessage'];
  sendBatch: AcceptService['sendBatch'];
  recordDeliveryEvent: RecordDeliveryEvent;
  suppressions: SuppressionService;
  apiKeys: ApiKeyService;
  templates: TemplateService;
  messages: MessageService;
  webhooks: WebhookService;
  deliver: DeliverService;
  sweep: SweepService;
  retention: OutboundRetentionService;
  unsubscribe: UnsubscribeService;
}

export function createOutboundServices(
  deps: OutboundDeps,
  transport: Transport,
  mime: MimeBuilder,
): OutboundServices {
  const templateService = createTemplateService(deps);
  const apiKeyService = createApiKeyService(deps);
  const webhookService = createWebhookService(deps);
  const accept = createAcceptService({ ...deps, templateService, apiKeyService });
  return {
    sendMessage: accept.sendMessage,
    sendBatch: accept.sendBatch,
    recordDeliveryEvent: createRecordDeliveryEvent({ ...deps, webhookService }),
    suppressions: createSuppressionService(deps),
    apiKeys: apiKeyService,
    templates: templateService,
    messages: createMessageService({ ...deps, webhookService }),
    webhooks: webhookService,
    deliver: createDeliverService({ ...deps, transport, mime, webhookService }),
    sweep: createSweepService({ ...deps, webhookService }),
    retention: createOutboundRetentionService({ ...deps, retention: deps.settings.retention }),
    unsubscribe: createUnsubscribeService(deps),
  };
}
