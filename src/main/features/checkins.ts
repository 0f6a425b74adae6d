/**
 * Wires check-ins: the store, the services (planner, prompts, replies, digests, admin,
 * preferences), the minutely tick schedule and fan-out queues, the /v1 team routes, the
 * preferences page, and the inbound handlers for reply+ (prompt) and team+ (team) tokens.
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
import type { InboundHandler } from '../../services/inbound/handler-registry.js';
import { createCheckinsStore } from '../../storage/checkins/index.js';
import type { Feature, FeatureContext } from '../feature.js';
import '../../services/checkins/job-payloads.js';

export interface CheckinsDeps {
  outbound: OutboundPort & { requireScope?: (scope: 'read' | 'send' | 'admin') => RequestHandler };
  inbound: {
    registerHandler(kind: 'prompt' | 'message' | 'team', handler: InboundHandler): void;
    tokenSecrets: readonly string[];
    inboundDomain: string | undefined;
  } | null;
}

export interface CheckinsFeature extends Feature {
  services: CheckinsServices;
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

export function createCheckinsFeature(ctx: FeatureContext, deps: CheckinsDeps): CheckinsFeature {
  const log = ctx.log.child({ feature: 'checkins' });
  // The same links the dashboard's member page verifies (issue 8: reached from any prompt mail).
  const memberLinks = createMemberLinks({
    publicUrl: ctx.config.http.publicUrl,
    secretKey: ctx.secretKey,
    ttlDays: ctx.config.dashboard.memberLinkTtlDays,
  });
  const services = createCheckinsServices({
    db: ctx.db,
    store: createCheckinsStore(),
    queue: ctx.queue,
    outbound: deps.outbound,
    settings: checkinsSettings(ctx, deps.inbound),
    clock: ctx.clock,
    log,
    extractReply: (input) => extractReply(input),
    parseEntries: (text) => parseEntries(text),
    marker: REPLY_MARKER,
    memberPageUrl: (memberId, now) => memberLinks.url(memberId, now),
  });

  const handler = (kind: 'prompt' | 'team'): InboundHandler => ({
    name: `checkins.${kind}`,
    resolveMemberId: (target, from) =>
      services.replies.resolveMemberId(
        kind === 'prompt' ? { kind, promptId: target.id } : { kind, teamId: target.id },
        from,
      ),
    async handle(message) {
      const r = await services.replies.handleReply({
        inboundEmailId: message.inboundEmailId,
        from: message.from,
        target:
          kind === 'prompt'
            ? { kind, promptId: message.targetId }
            : { kind, teamId: message.targetId },
        text: message.parsed.text,
        html: message.parsed.html,
        extractReply: message.extractReply,
      });
      if (r.outcome === 'ignored') {
        return {
          status: 'ignored',
          reason:
            r.reason === 'empty'
              ? 'empty'
              : r.reason === 'unknown_member'
                ? 'unknown_sender'
                : 'unroutable',
          reply: r,
        };
      }
      return {
        status: 'processed',
        routedTo: {
          feature: 'checkins',
          outcome: r.outcome,
          ...(r.outcome === 'entries'
            ? { entries: r.entries.length, local_date: r.localDate }
            : {}),
        },
        reply: r,
      };
    },
  });
  deps.inbound?.registerHandler('prompt', handler('prompt'));
  deps.inbound?.registerHandler('team', handler('team'));

  const requireScope =
    deps.outbound.requireScope ??
    ((): RequestHandler => () => {
      throw new UnauthorizedError('api_key_required', 'API keys are not available in this build');
    });

  return {
    name: 'checkins',
    services,
    queues: checkinsQueues({ ...services, clock: ctx.clock }),
    schedules: ctx.config.checkins.tickEnabled ? checkinsSchedules : [],
    mount(app) {
      app.use(checkinsRouter(services.admin, requireScope, openApi));
      app.use(preferencesRouter(services.preferences));
    },
  };
}
