/**
 * Wires check-ins: the repositories (storage/index.ts), the services (planner, prompts,
 * replies, digests, admin, entries, preferences), the minutely tick schedule and fan-out
 * queues, the /v1 team routes, the preferences page, the check-in mailbox (reply+ and team+
 * tokens, the `checkins` route action), and the member page's actions the dashboard mounts.
 */
import type { RequestHandler } from 'express';
import { parseEntries } from '../../domain/entries/index.js';
import { extractReply, REPLY_MARKER } from '../../reply/index.js';
import { UnauthorizedError } from '../../lib/errors.js';
import { checkinsRouter } from '../../http/routes/v1/teams/index.js';
import { preferencesRouter } from '../../http/routes/preferences/index.js';
import { openApi } from '../../http/openapi/registry.js';
import { checkinsQueues, checkinsSchedules } from '../../jobs/checkins/queues.js';
import { createCheckinsServices, type CheckinsServices } from '../../services/checkins/index.js';
import type { OutboundPort } from '../../services/ports.js';
import type { CheckinsSettings } from '../../services/checkins/settings.js';
import { createMemberLinks } from '../../services/member-links.js';
import type { Mailbox, MailboxClaims } from '../../services/inbound/mailboxes.js';
import type { MemberPageActions } from '../../http/dashboard/services.js';
import { repositories } from '../../storage/index.js';
import {
  instrumentCheckInTicks,
  instrumentDigests,
  instrumentPrompts,
} from '../../services/checkins/instrumented.js';
import { noTelemetry } from '../../services/telemetry.js';
import type { Feature, FeatureContext } from '../feature.js';
import '../../services/checkins/job-payloads.js';

export interface CheckinsDeps {
  outbound: OutboundPort & { requireScope?: (scope: 'read' | 'send' | 'admin') => RequestHandler };
  inbound: {
    registerMailbox(mailbox: Mailbox, claims: MailboxClaims): void;
    tokenSecrets: readonly string[];
    inboundDomain: string | undefined;
  } | null;
}

export interface CheckinsFeature extends Feature {
  services: CheckinsServices;
  memberPage: MemberPageActions;
}

export function checkinsSettings(
  ctx: FeatureContext,
  inbound: CheckinsDeps['inbound'],
): CheckinsSettings {
  const c = ctx.config.checkins;
  return {
    catchUpHours: c.catchUpHours,
    maxLookbackHours: c.maxLookbackHours,
    quietHours: c.quietHours,
    defaultQuestion: c.defaultQuestion,
    from: c.from,
    inboundDomain: inbound?.inboundDomain ?? new URL(ctx.config.http.publicUrl).hostname,
    publicUrl: ctx.config.http.publicUrl,
    // Reply tokens must verify in the inbound engine, which mints with its first secret.
    secret: inbound?.tokenSecrets[0] ?? ctx.secretKey,
    replyTokenDays: c.replyTokenDays,
    batchSize: c.batchSize,
  };
}

/** The member page's actions: a member's own entries and subscriptions, through the services. */
export function memberPageActions(
  s: Pick<CheckinsServices, 'entries' | 'preferences'>,
): MemberPageActions {
  return {
    find: (memberId) => s.entries.owner(memberId),
    entries: (memberId, date) => s.entries.listOwn(memberId, date),
    add: (memberId, date, items) => s.entries.addOwn(memberId, date, items),
    update: (memberId, entryId, e) => s.entries.updateOwn(memberId, entryId, e),
    remove: (memberId, entryId) => s.entries.removeOwn(memberId, entryId),
    unsubscriptions: (memberId) => s.preferences.unsubscriptions(memberId),
    setUnsubscribed: (memberId, kind, on) => s.preferences.setUnsubscribed(memberId, kind, on),
  };
}

/** The check-in services on `ctx` (its clock included: `postroom demo` passes its own). */
export function buildCheckinsServices(ctx: FeatureContext, deps: CheckinsDeps): CheckinsServices {
  // The same links the dashboard's member page verifies (issue 8: reached from any prompt mail).
  const memberLinks = createMemberLinks({
    publicUrl: ctx.config.http.publicUrl,
    secretKey: ctx.secretKey,
    ttlDays: ctx.config.dashboard.memberLinkTtlDays,
  });
  const t = ctx.telemetry ?? noTelemetry;
  return createCheckinsServices({
    db: ctx.db,
    repositories: {
      ...repositories,
      prompts: instrumentPrompts(repositories.prompts, t),
      digests: instrumentDigests(repositories.digests, t),
      checkInTicks: instrumentCheckInTicks(repositories.checkInTicks, t),
    },
    telemetry: t,
    queue: ctx.queue,
    outbound: deps.outbound,
    settings: checkinsSettings(ctx, deps.inbound),
    clock: ctx.clock,
    log: ctx.log.child({ feature: 'checkins' }),
    extractReply: (input) => extractReply(input),
    parseEntries: (text) => parseEntries(text),
    marker: REPLY_MARKER,
    memberPageUrl: (memberId, now) => memberLinks.url(memberId, now),
  });
}

export function createCheckinsFeature(ctx: FeatureContext, deps: CheckinsDeps): CheckinsFeature {
  const services = buildCheckinsServices(ctx, deps);
  deps.inbound?.registerMailbox(services.mailbox, {
    tokenKinds: ['prompt', 'team'],
    actions: ['checkins'],
  });

  const requireScope =
    deps.outbound.requireScope ??
    ((): RequestHandler => () => {
      throw new UnauthorizedError('api_key_required', 'API keys are not available in this build');
    });

  return {
    name: 'checkins',
    services,
    memberPage: memberPageActions(services),
    queues: checkinsQueues({ ...services, clock: ctx.clock }),
    schedules: ctx.config.checkins.tickEnabled ? checkinsSchedules : [],
    mount(app) {
      app.use(checkinsRouter(services.admin, requireScope, openApi));
      app.use(preferencesRouter(services.preferences));
    },
  };
}
