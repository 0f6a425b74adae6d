/**
 * Assembles the stores (docs/architecture.md, "Storage"): every repository module, each checked
 * with `satisfies` against the port its feature declares, and the dashboard's read models bound
 * to the database. main/ takes them from here; nothing else imports a repository module.
 */

// ---------------------------------------------------------------- outbound
import type * as outbound from '../services/outbound/ports.js';
import * as apiKeys from './repositories/api-keys.js';
import * as idempotencyKeys from './repositories/idempotency-keys.js';
import * as outboundMessages from './repositories/outbound-messages/index.js';
import * as rateLimits from './repositories/rate-limits.js';
import * as suppressions from './repositories/suppressions.js';
import * as templates from './repositories/templates.js';
import * as webhookEndpoints from './repositories/webhook-endpoints.js';

// ---------------------------------------------------------------- inbound

// ---------------------------------------------------------------- check-ins

// ---------------------------------------------------------------- dashboard

export const repositories = {
  // outbound
  outboundMessages: outboundMessages satisfies outbound.OutboundMessageRepository,
  suppressions: suppressions satisfies outbound.SuppressionRepository,
  templates: templates satisfies outbound.TemplateRepository,
  apiKeys: apiKeys satisfies outbound.ApiKeyRepository,
  webhookEndpoints: webhookEndpoints satisfies outbound.WebhookEndpointRepository,
  idempotencyKeys: idempotencyKeys satisfies outbound.IdempotencyKeyRepository,
  rateLimits: rateLimits satisfies outbound.RateLimitRepository,

  // inbound

  // check-ins

  // dashboard
};
