/**
 * Assembles the stores (docs/architecture.md, "Storage"): every repository module, each checked
 * with `satisfies` against the port its feature declares, and the dashboard's read models bound
 * to the database. main/ takes them from here; nothing else imports a repository module.
 */

// ---------------------------------------------------------------- outbound
import type * as outbound from '../services/outbound/ports/index.js';
import * as apiKeys from './repositories/api-keys.js';
import * as idempotencyKeys from './repositories/idempotency-keys.js';
import * as outboundMessages from './repositories/outbound-messages/index.js';
import * as rateLimits from './repositories/rate-limits.js';
import * as suppressions from './repositories/suppressions.js';
import * as templates from './repositories/templates.js';
import * as webhookEndpoints from './repositories/webhook-endpoints.js';

// ---------------------------------------------------------------- inbound

import type {
  InboundAttachmentRepository,
  InboundEmailRepository,
  InboundRejectionLimitRepository,
  InboundRouteRepository,
  ProviderEventRepository,
  UnmappedProviderEventRepository,
  WebhookNonceRepository,
} from '../services/inbound/ports.js';
import * as inboundAttachments from './repositories/inbound-attachments.js';
import * as inboundEmails from './repositories/inbound-emails/index.js';
import * as inboundRejectionLimits from './repositories/inbound-rejection-limits.js';
import * as inboundRoutes from './repositories/inbound-routes.js';
import * as providerEvents from './repositories/provider-events.js';
import * as unmappedProviderEvents from './repositories/unmapped-provider-events.js';
import * as webhookNonces from './repositories/webhook-nonces.js';

// ---------------------------------------------------------------- check-ins

import type {
  CheckInTickRepository,
  DigestRepository,
  EntryRepository,
  MemberRepository,
  PromptRepository,
  TeamRepository,
} from '../services/checkins/ports.js';
import * as checkInTicks from './repositories/check-in-ticks.js';
import * as digests from './repositories/digests.js';
import * as entries from './repositories/entries.js';
import * as members from './repositories/members.js';
import * as prompts from './repositories/prompts.js';
import * as teams from './repositories/teams.js';

// ---------------------------------------------------------------- dashboard

import type { Executor } from '../services/ports.js';
import type {
  AdminRepository,
  InboundReader,
  MessagesReader,
  OverviewReader,
  TeamsReader,
  TemplatesReader,
} from '../services/dashboard/ports/index.js';
import * as admins from './repositories/admins.js';
import * as inboundReadModel from './read-models/inbound.js';
import * as messagesReadModel from './read-models/messages.js';
import * as overviewReadModel from './read-models/overview.js';
import * as teamsReadModel from './read-models/teams.js';
import * as templatesReadModel from './read-models/templates.js';

// ---------------------------------------------------------------- operations

import type {
  JobTableReader,
  OperationsReader,
  ProcessHeartbeatRepository,
} from '../services/operations/ports.js';
import * as processHeartbeats from './repositories/process-heartbeats.js';
import * as jobsReadModel from './read-models/jobs.js';
import * as operationsReadModel from './read-models/operations.js';

/** A read model's functions with the executor already given: what the pages call. */
type Bound<M> = {
  [K in keyof M]: M[K] extends (ex: Executor, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

function bind<M extends Record<string, (ex: Executor, ...args: never[]) => unknown>>(
  ex: Executor,
  readModel: M,
): Bound<M> {
  const entries = Object.entries(readModel).map(([name, fn]) => [
    name,
    (...args: never[]) => fn(ex, ...args),
  ]);
  return Object.fromEntries(entries) as Bound<M>;
}

/** The dashboard's read models bound to the database, each checked against its read port. */
export function createReadModels(db: Executor, o: { bossSchema: string }) {
  const bossSchema = overviewReadModel.checkBossSchema(o.bossSchema);
  return {
    overview: {
      read: (now: Date) => overviewReadModel.read(db, bossSchema, now),
    } satisfies OverviewReader,
    messages: bind(db, messagesReadModel) satisfies MessagesReader,
    inbound: bind(db, inboundReadModel) satisfies InboundReader,
    teams: bind(db, teamsReadModel) satisfies TeamsReader,
    templates: bind(db, templatesReadModel) satisfies TemplatesReader,
    jobs: bindJobs(db, bossSchema) satisfies JobTableReader,
    operations: bind(db, operationsReadModel) satisfies OperationsReader,
  };
}

/** pg-boss's job table, read with the executor and the schema already given. */
function bindJobs(db: Executor, schema: string) {
  const m = jobsReadModel;
  return {
    countsByState: () => m.countsByState(db, schema),
    oldestWaiting: (now: Date) => m.oldestWaiting(db, schema, now),
    listJobs: (...a: Parameters<JobTableReader['listJobs']>) => m.listJobs(db, schema, ...a),
    getJob: (queue: string, id: string) => m.getJob(db, schema, queue, id),
    failedJobIds: (...a: Parameters<JobTableReader['failedJobIds']>) =>
      m.failedJobIds(db, schema, ...a),
    failuresSince: (since: Date) => m.failuresSince(db, schema, since),
  };
}

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
  inboundEmails: inboundEmails satisfies InboundEmailRepository,
  webhookNonces: webhookNonces satisfies WebhookNonceRepository,
  providerEvents: providerEvents satisfies ProviderEventRepository,
  unmappedProviderEvents: unmappedProviderEvents satisfies UnmappedProviderEventRepository,
  inboundRejectionLimits: inboundRejectionLimits satisfies InboundRejectionLimitRepository,
  inboundRoutes: inboundRoutes satisfies InboundRouteRepository,
  inboundAttachments: inboundAttachments satisfies InboundAttachmentRepository,

  // check-ins
  teams: teams satisfies TeamRepository,
  members: members satisfies MemberRepository,
  prompts: prompts satisfies PromptRepository,
  entries: entries satisfies EntryRepository,
  digests: digests satisfies DigestRepository,
  checkInTicks: checkInTicks satisfies CheckInTickRepository,

  // dashboard
  admins: admins satisfies AdminRepository,

  // operations
  processHeartbeats: processHeartbeats satisfies ProcessHeartbeatRepository,
};
