/** Registers every page module whose data source is wired. */
import type { PageDeps } from '../page-deps.js';
import type { RouteTable } from '../route-table.js';
import { registerArchivePages } from './archive.js';
import { registerComposePage } from './compose.js';
import { registerInboundPages } from './inbound.js';
import { registerJobPages } from './jobs.js';
import { registerMemberPage } from './member.js';
import { registerMessagePages } from './messages.js';
import {
  registerApiKeyPages,
  registerSuppressionPages,
  registerWebhookPages,
} from './outbound-admin.js';
import { registerOverviewPage } from './overview.js';
import { registerRoutePages } from './routes.js';
import { registerTemplatePages } from './templates.js';
import { registerTeamPages } from './teams.js';

export function registerPages(t: RouteTable, deps: PageDeps): void {
  registerOverviewPage(t, deps);
  if (deps.services.messages) registerMessagePages(t, deps, deps.services.messages);
  if (deps.services.compose) registerComposePage(t, deps, deps.services.compose);
  if (deps.services.teams) {
    registerTeamPages(t, deps, deps.services.teams, deps.services.teamActions ?? null);
    registerArchivePages(t, deps, deps.services.teams);
  }
  if (deps.services.inbound) registerInboundPages(t, deps, deps.services.inbound);
  if (deps.services.routes) registerRoutePages(t, deps, deps.services.routes);
  if (deps.services.member) registerMemberPage(t, deps, deps.services.member);
  if (deps.services.templates) registerTemplatePages(t, deps, deps.services.templates);
  if (deps.services.suppressions) registerSuppressionPages(t, deps, deps.services.suppressions);
  if (deps.services.webhooks) registerWebhookPages(t, deps, deps.services.webhooks);
  if (deps.services.apiKeys) registerApiKeyPages(t, deps, deps.services.apiKeys);
  if (deps.services.operations) registerJobPages(t, deps, deps.services.operations);
}
