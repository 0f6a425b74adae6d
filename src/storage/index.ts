/**
 * Assembles the stores (docs/architecture.md, "Storage"): every repository module, each checked
 * with `satisfies` against the port its feature declares, and the dashboard's read models bound
 * to the database. main/ takes them from here; nothing else imports a repository module.
 */

// ---------------------------------------------------------------- outbound

// ---------------------------------------------------------------- inbound

import type {
  InboundEmailRepository,
  InboundRejectionLimitRepository,
  ProviderEventRepository,
  WebhookNonceRepository,
} from '../services/inbound/ports.js';
import * as inboundEmails from './repositories/inbound-emails.js';
import * as inboundRejectionLimits from './repositories/inbound-rejection-limits.js';
import * as providerEvents from './repositories/provider-events.js';
import * as webhookNonces from './repositories/webhook-nonces.js';

// ---------------------------------------------------------------- check-ins

// ---------------------------------------------------------------- dashboard

export const repositories = {
  // outbound

  // inbound
  inboundEmails: inboundEmails satisfies InboundEmailRepository,
  webhookNonces: webhookNonces satisfies WebhookNonceRepository,
  providerEvents: providerEvents satisfies ProviderEventRepository,
  inboundRejectionLimits: inboundRejectionLimits satisfies InboundRejectionLimitRepository,

  // check-ins

  // dashboard
};
