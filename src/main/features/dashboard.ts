/**
 * Wires the web dashboard: its admin repository and read models (storage/index.ts), the auth
 * service (login links go out through the outbound engine), and the other features' services
 * for the actions the pages offer. Mounted at the site root, with every route guarded
 * individually.
 */
import { parseEntries } from '../../domain/entries/index.js';
import { createDashboardRouter, type DashboardRouter } from '../../http/dashboard/router.js';
import type {
  ComposeInput,
  DashboardServices,
  RoutesPort,
  MemberEntryInput,
  MemberPageActions,
  TeamActions,
} from '../../http/dashboard/services.js';
import { createAuthService, type AuthService } from '../../services/dashboard/auth.js';
import { createMemberLinks } from '../../services/member-links.js';
import type { LoginLinkMailer } from '../../services/dashboard/ports/index.js';
import type { OutboundServices } from '../../services/outbound/index.js';
import type { OperationsServices } from '../../services/operations/index.js';
import { GONE_AFTER_BEATS } from '../../services/operations/processes.js';
import type { SendMessageInput } from '../../services/outbound/schemas.js';
import { createReadModels, repositories } from '../../storage/index.js';
import type { Feature, FeatureContext } from '../feature.js';

export interface DashboardDeps {
  /** Issue 4: sends login links and composed mail; cancel/retry, templates, suppressions, webhooks, keys. */
  outbound: OutboundServices;
  /** Issue 5: reprocess an inbound message (back to `received`, then a fresh job); issue 12: routes. */
  inbound: {
    reprocess(id: string): Promise<void>;
    routes?: Omit<RoutesPort, 'test'>;
    testRoute?: RoutesPort['test'];
  } | null;
  /**
   * Issue 7: `admin` (pause/resume, holidays, vacations) makes the team pages editable;
   * `member` (the check-in services' entry and subscription actions) mounts the member page;
   * `parseEntries` overrides the entry grammar (domain/entries) for the member page.
   */
  checkins: {
    admin?: TeamActions;
    member?: MemberPageActions;
    parseEntries?: (text: string) => MemberEntryInput[];
  } | null;
  /** Issue 13: the job monitor and the workers list. */
  operations?: OperationsServices | null;
}

export interface DashboardFeature extends Feature {
  services: DashboardServices;
  /** Member page links, for check-in mail ("edit your entries on the web"). */
  memberPageUrl(memberId: string, now: Date): string;
  router: DashboardRouter;
}

export function createDashboardFeature(ctx: FeatureContext, deps: DashboardDeps): DashboardFeature {
  const { config } = ctx;
  const links = createMemberLinks({
    publicUrl: config.http.publicUrl,
    secretKey: ctx.secretKey,
    ttlDays: config.dashboard.memberLinkTtlDays,
  });
  const services: DashboardServices = {
    ...pageServices(ctx, deps),
    member: deps.checkins?.member && {
      verify: (token, now) => links.verify(token, now),
      ...deps.checkins.member,
      parseEntries: deps.checkins.parseEntries ?? parseMemberLines,
    },
  };
  const router = dashboardRouter(ctx, services);
  return {
    name: 'dashboard',
    services,
    router,
    memberPageUrl: (memberId, now) => links.url(memberId, now),
    mount: (app) => {
      app.use(router.router);
    },
  };
}

/** Every page's data and actions but the member page's. */
function pageServices(ctx: FeatureContext, deps: DashboardDeps): Omit<DashboardServices, 'member'> {
  const { outbound } = deps;
  const reads = createReadModels(ctx.db, { bossSchema: ctx.config.pgBossSchema });
  return {
    auth: authService(ctx, outbound),
    overview: reads.overview,
    messages: {
      reader: reads.messages,
      actions: {
        cancel: async (id) => void (await outbound.messages.cancel(id)),
        retry: async (id) => void (await outbound.messages.retry(id)),
      },
    },
    compose: {
      send: async (input) => ({ id: (await outbound.sendMessage(toSendInput(input))).id }),
      renderTemplate: async (name, data) => outbound.templates.preview(name, data),
      templateNames: async () => (await reads.templates.list()).map((t) => t.name),
    },
    templates: {
      reader: reads.templates,
      put: (name, body) => outbound.templates.put(name, body),
      preview: (name, data, version) => outbound.templates.preview(name, data, version),
      remove: (name) => outbound.templates.remove(name),
    },
    suppressions: outbound.suppressions,
    webhooks: outbound.webhooks,
    apiKeys: outbound.apiKeys,
    teams: reads.teams,
    teamActions: deps.checkins?.admin ?? null,
    inbound: {
      reader: reads.inbound,
      actions: deps.inbound ? { reprocess: (id) => deps.inbound!.reprocess(id) } : null,
    },
    ...(deps.operations
      ? {
          operations: {
            jobs: deps.operations.jobMonitor,
            processes: () => deps.operations!.processes(),
            goneAfterSeconds: GONE_AFTER_BEATS * ctx.config.operations.heartbeatSeconds,
          },
        }
      : {}),
    ...routesPort(deps),
  };
}

/** The routes page, when the inbound feature offers its route service. */
function routesPort(deps: DashboardDeps): Pick<DashboardServices, 'routes'> {
  const r = deps.inbound?.routes;
  const test = deps.inbound?.testRoute;
  if (!r || !test) return {};
  return {
    routes: {
      list: () => r.list(),
      getDefault: () => r.getDefault(),
      create: (body) => r.create(body),
      update: (id, body) => r.update(id, body),
      remove: (id) => r.remove(id),
      setDefault: (body) => r.setDefault(body),
      clearDefault: () => r.clearDefault(),
      test,
    },
  };
}

function authService(ctx: FeatureContext, outbound: OutboundServices): AuthService {
  const { config } = ctx;
  return createAuthService({
    db: ctx.db,
    admins: repositories.admins,
    mailer: systemMailer(outbound),
    clock: ctx.clock,
    log: ctx.log.child({ feature: 'dashboard' }),
    settings: {
      publicUrl: config.http.publicUrl,
      secretKey: ctx.secretKey,
      loginTokenTtlMinutes: config.dashboard.loginLinkTtlMinutes,
      sessionTtlHours: config.dashboard.sessionTtlHours,
      maxLinksPerAddress: config.dashboard.loginLinksPerAddress,
      logLoginLinks: config.dashboard.logLoginLinks,
    },
  });
}

function dashboardRouter(ctx: FeatureContext, services: DashboardServices): DashboardRouter {
  const { config } = ctx;
  return createDashboardRouter({
    services,
    log: ctx.log,
    clock: ctx.clock,
    cookies: {
      secure: config.dashboard.cookieSecure ?? config.http.publicUrl.startsWith('https:'),
    },
    loginRateLimit: config.dashboard.loginRateLimit,
    loginTtlMinutes: config.dashboard.loginLinkTtlMinutes,
    pageSize: config.dashboard.pageSize,
  });
}

/** Issue 6's entry grammar, reduced to the fields an entry row keeps. */
function parseMemberLines(text: string): MemberEntryInput[] {
  return parseEntries(text).map(({ kind, text: t, tags, mentions, completed }) => ({
    kind,
    text: t,
    tags,
    mentions,
    completed,
  }));
}

function systemMailer(outbound: OutboundServices): LoginLinkMailer {
  return {
    async send(mail) {
      const r = await outbound.sendMessage({
        to: [mail.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        stream: 'transactional',
        kind: 'system',
        tags: ['dashboard-login'],
      });
      return { messageId: r.id };
    },
  };
}

export function toSendInput(c: ComposeInput): SendMessageInput {
  return {
    to: c.to,
    ...(c.cc.length ? { cc: c.cc } : {}),
    ...(c.bcc.length ? { bcc: c.bcc } : {}),
    ...(c.subject ? { subject: c.subject } : {}),
    ...(c.html !== undefined ? { html: c.html } : {}),
    ...(c.text !== undefined ? { text: c.text } : {}),
    ...(c.template ? { template: c.template } : {}),
    ...(c.attachments.length
      ? {
          attachments: c.attachments.map((a) => ({
            filename: a.filename,
            content: a.content.toString('base64'),
            content_type: a.contentType,
          })),
        }
      : {}),
    ...(c.sendAt ? { send_at: c.sendAt.toISOString() } : {}),
    ...(c.tags.length ? { tags: c.tags } : {}),
    metadata: { source: 'dashboard' },
    stream: 'transactional',
    kind: 'api',
  };
}
