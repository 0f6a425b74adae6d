/**
 * The zod schemas of the routes API (/v1/routes). The HTTP routes validate with them, the route
 * service re-validates the CLI and the dashboard with them, and the OpenAPI document is built
 * from them. What zod cannot say (a pattern's grammar, a regex's safety, a webhook URL's target,
 * a team that exists) the route service checks next, each with its own 422 code.
 */
import { z } from 'zod';

const address = z.string().min(3).max(320);

export const addressPatternSchema = z.union([
  z.string().min(3).max(320),
  z.object({ regex: z.string().min(1).max(200) }).strict(),
]);

const textMatchFields = {
  equals: z.string().max(998).optional(),
  contains: z.string().min(1).max(998).optional(),
};
const eitherTest = (t: { equals?: string | undefined; contains?: string | undefined }) =>
  t.equals !== undefined || t.contains !== undefined;

export const textMatchSchema = z
  .object(textMatchFields)
  .strict()
  .refine(eitherTest, { message: 'equals or contains is required' });

export const headerMatchSchema = z
  .object({ name: z.string().regex(/^[!-9;-~]{1,100}$/, 'a header name'), ...textMatchFields })
  .strict()
  .refine(eitherTest, { message: 'equals or contains is required' });

export const routeMatchSchema = z
  .object({
    recipient: addressPatternSchema.optional(),
    sender: addressPatternSchema.optional(),
    subject: textMatchSchema.optional(),
    headers: z.array(headerMatchSchema).min(1).max(10).optional(),
  })
  .strict();

/** As written by a client: a webhook names a URL (an endpoint is made for it) or an endpoint. */
export const routeActionInputSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('webhook'),
      url: z.string().min(1).max(2000).optional(),
      endpoint_id: z.uuid().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('forward'),
      to: z.array(address).min(1).max(10),
      mode: z.enum(['attachment', 'inline']).default('attachment'),
    })
    .strict(),
  z.object({ type: z.literal('store') }).strict(),
  z
    .object({
      type: z.literal('reject'),
      subject: z.string().min(1).max(200).optional(),
      message: z.string().min(1).max(5000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('checkins'), team_id: z.uuid() }).strict(),
]);
export type RouteActionInput = z.output<typeof routeActionInputSchema>;

export const routeInputSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    priority: z.number().int().min(0).max(1_000_000).default(100),
    match: routeMatchSchema,
    action: routeActionInputSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
export type RouteInput = z.output<typeof routeInputSchema>;

export const routePatchSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    priority: z.number().int().min(0).max(1_000_000).optional(),
    match: routeMatchSchema.optional(),
    action: routeActionInputSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type RoutePatch = z.output<typeof routePatchSchema>;

export const defaultRouteSchema = z.object({ action: routeActionInputSchema }).strict();

/** POST /v1/routes/test: the message a route would see. */
export const routeTestSchema = z
  .object({
    to: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.email()).min(1).max(50)),
    from: z.email().optional(),
    subject: z.string().max(998).default(''),
    headers: z
      .record(
        z.string().regex(/^[!-9;-~]{1,100}$/),
        z.union([z.string().max(998), z.array(z.string().max(998)).max(20)]),
      )
      .optional(),
  })
  .strict();
export type RouteTestInput = z.output<typeof routeTestSchema>;

const actionView = z.object({ type: z.string() }).loose();

export const routeViewSchema = z.object({
  id: z.string(),
  object: z.literal('inbound_route'),
  name: z.string(),
  priority: z.number(),
  match: z.record(z.string(), z.unknown()),
  action: actionView,
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Shown once, when the route created its webhook endpoint. */
  webhook_secret: z.string().optional(),
});

export const routeTestResultSchema = z.object({
  decision: z.enum(['reply_token', 'thread', 'route', 'default']),
  mailbox: z.string().nullable(),
  route: routeViewSchema.nullable(),
  action: actionView.nullable(),
  token: z.object({ kind: z.string(), id: z.string() }).nullable(),
  thread: z.object({ message_id: z.string() }).nullable(),
  regex_timed_out: z.boolean(),
});

// ---------------------------------------------------------------- the inbound.received payload

const mailbox = z.object({ address: z.string(), name: z.string() });

/** The `inbound.received` webhook body (docs/inbound.md, OpenAPI `webhooks`). */
export const inboundReceivedSchema = z.object({
  type: z.literal('inbound.received'),
  timestamp: z.string(),
  data: z.object({
    id: z.string(),
    provider: z.enum(['sendgrid', 'mailgun', 'postmark', 'ses', 'relay']),
    received_at: z.string(),
    envelope: z.object({ from: z.string().nullable(), to: z.array(z.string()) }),
    from: mailbox.nullable(),
    to: z.array(mailbox),
    cc: z.array(mailbox),
    reply_to: z.array(mailbox),
    subject: z.string(),
    message_id: z.string().nullable(),
    in_reply_to: z.string().nullable(),
    references: z.array(z.string()),
    date: z.string().nullable(),
    headers: z.record(z.string(), z.array(z.string())),
    text: z.string().nullable(),
    html: z.string().nullable(),
    reply: z
      .object({ text: z.string(), signature: z.string(), quoted: z.string(), method: z.string() })
      .nullable(),
    attachments: z.array(
      z.object({
        filename: z.string().nullable(),
        content_type: z.string(),
        size: z.number(),
        sha256: z.string(),
        content_id: z.string().nullable(),
        inline: z.boolean(),
        url: z.string(),
      }),
    ),
    verdicts: z.record(z.string(), z.string()),
    classification: z.object({ kind: z.string(), signals: z.array(z.string()) }).loose(),
    thread: z
      .object({
        message_id: z.string(),
        message_id_header: z.string(),
        subject: z.string(),
        kind: z.string(),
        metadata: z.record(z.string(), z.unknown()),
        tags: z.array(z.string()),
        created_at: z.string(),
      })
      .nullable(),
    route: z.object({ id: z.string(), name: z.string() }).nullable(),
    thin: z.boolean(),
    payload_url: z.string().optional(),
  }),
});

/** What a 2xx answer may carry to reply in-band (services/inbound/inband-reply.ts). */
export const inbandAnswerSchema = z.object({
  reply: z
    .object({
      text: z.string().optional(),
      html: z.string().optional(),
      subject: z.string().optional(),
      from: z.string().optional(),
      cc: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
