/**
 * What a route must satisfy beyond its JSON shape (schemas.ts), each failure a 422 with its own
 * code: a match with at least one criterion, address patterns in the grammar, regexes that
 * compile and cannot backtrack without bound, forward addresses that parse and do not loop back
 * to our inbound domain, a reject template that renders, a check-in team that exists, and a
 * webhook target: an existing endpoint, or a URL the SSRF guard accepts (an endpoint is then
 * created for it, last, so a route refused for another reason leaves nothing behind).
 */
import { ValidationError } from '../../lib/errors.js';
import {
  checkAddressPattern,
  checkRouteRegex,
  type AddressPattern,
  type RouteAction,
  type RouteActionType,
  type RouteMatch,
} from '../../domain/inbound/route.js';
import { parseMailbox } from '../../domain/outbound/recipients.js';
import { compileTemplate, renderTemplate } from '../../templates/user-template.js';
import type { Mailbox } from './mailboxes.js';
import type { RouteActionInput } from './schemas.js';

/** Other features' answers a route needs; absent ones make their action unavailable. */
export interface RouteTargets {
  /** Creates a webhook endpoint for a route (the SSRF guard refuses private targets: 422). */
  createEndpoint?(url: string): Promise<{ id: string; secret: string }>;
  endpointExists?(id: string): Promise<boolean>;
  /** The mailbox registered for an action (check-ins checks its team). */
  mailboxFor(type: RouteActionType): Mailbox | undefined;
}

export interface CheckedAction {
  action: RouteAction;
  /** The secret of an endpoint made for this route, shown once. */
  webhookSecret?: string;
}

/** The variables a reject template may use. */
export const REJECT_TEMPLATE_SAMPLE = {
  subject: 'Hello',
  from: 'sender@example.org',
  recipient: 'support@example.com',
};

const fail = (code: string, message: string, details?: unknown): never => {
  throw new ValidationError(message, details, code);
};

function checkPattern(field: string, p: AddressPattern | undefined): void {
  if (p === undefined) return;
  const problem = typeof p === 'string' ? checkAddressPattern(p) : checkRouteRegex(p.regex);
  if (problem) fail(problem.code, `match.${field}: ${problem.message}`, { field });
}

export function checkMatch(match: RouteMatch): void {
  const { recipient, sender, subject, headers } = match;
  if (!recipient && !sender && !subject && !headers?.length) {
    fail(
      'match_required',
      'A route matches on at least one of recipient, sender, subject or headers; the default action covers the rest',
    );
  }
  checkPattern('recipient', recipient);
  checkPattern('sender', sender);
}

function checkForward(to: readonly string[], inboundDomain: string | undefined): void {
  for (const a of to) {
    const m = parseMailbox(a);
    if (!m) fail('invalid_address', `"${a}" is not an email address`, { address: a });
    const domain = m!.address.slice(m!.address.lastIndexOf('@') + 1).toLowerCase();
    if (inboundDomain && domain === inboundDomain.toLowerCase()) {
      fail('forward_loop', `Forwarding to ${inboundDomain} would route the mail back here`, {
        address: a,
      });
    }
  }
}

function checkRejectTemplate(subject: string | undefined, message: string | undefined): void {
  if (subject === undefined && message === undefined) return;
  const compiled = compileTemplate({ subject: subject ?? 'x', html: null, text: message ?? 'x' });
  renderTemplate(compiled, REJECT_TEMPLATE_SAMPLE);
}

async function checkWebhook(
  input: Extract<RouteActionInput, { type: 'webhook' }>,
  targets: RouteTargets,
): Promise<CheckedAction> {
  if (!targets.createEndpoint || !targets.endpointExists)
    fail('webhooks_unavailable', 'Webhook endpoints are not available in this build');
  if ((input.url === undefined) === (input.endpoint_id === undefined))
    fail('webhook_target_required', 'A webhook action names either a url or an endpoint_id');
  if (input.endpoint_id) {
    if (!(await targets.endpointExists!(input.endpoint_id)))
      fail('webhook_endpoint_not_found', `No webhook endpoint ${input.endpoint_id}`);
    return { action: { type: 'webhook', endpoint_id: input.endpoint_id } };
  }
  const made = await targets.createEndpoint!(input.url!);
  return { action: { type: 'webhook', endpoint_id: made.id }, webhookSecret: made.secret };
}

/** Checks an action and turns it into what is stored. Run after checkMatch. */
export async function checkAction(
  input: RouteActionInput,
  targets: RouteTargets,
  inboundDomain: string | undefined,
): Promise<CheckedAction> {
  switch (input.type) {
    case 'forward':
      checkForward(input.to, inboundDomain);
      return { action: { type: 'forward', to: input.to, mode: input.mode } };
    case 'reject':
      checkRejectTemplate(input.subject, input.message);
      return { action: input };
    case 'checkins': {
      const mailbox = targets.mailboxFor('checkins');
      if (!mailbox) fail('checkins_unavailable', 'Check-ins are not enabled');
      await mailbox!.checkAction?.(input);
      return { action: input };
    }
    case 'store':
      return { action: input };
    case 'webhook':
      return checkWebhook(input, targets);
  }
}

/** A body with no `action` (or no `match`) gets its own code, not a generic schema error. */
export function requireParts(body: unknown, parts: readonly ('match' | 'action')[]): void {
  const o = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  for (const p of parts) {
    if (o[p] === undefined || o[p] === null)
      fail(`${p}_required`, `A route needs ${p === 'action' ? 'an action' : 'a match'}`);
  }
}
