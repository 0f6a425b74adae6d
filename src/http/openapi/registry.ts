/**
 * A small OpenAPI 3.1 registry. Routes register the same zod schemas they validate with, and the
 * document at /v1/openapi.json is generated from them (zod 4's z.toJSONSchema), so the spec is
 * never written by hand a second time. Other features add their /v1 routes with registerRoute().
 */
import { z } from 'zod';
import { MAX_JSON_DEPTH } from '../../lib/safe-text.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDoc {
  method: HttpMethod;
  /** Express-style path, e.g. /v1/messages/:id (converted to {id}). */
  path: string;
  summary: string;
  /** The API-key scope the route needs (send, read, admin), or null for public routes. */
  scope: string | null;
  tags?: string[];
  request?: {
    body?: z.ZodType;
    query?: z.ZodType;
    /** Content type of the body; default application/json. */
    contentType?: string;
  };
  /** Status → schema (or null for an empty/non-JSON body with a description). */
  response?: Record<number, z.ZodType | { description: string; contentType?: string }>;
}

/** An event we POST to subscribers (OpenAPI 3.1 `webhooks`). */
export interface WebhookDoc {
  name: string;
  summary: string;
  description: string;
  payload: z.ZodType;
  /** What a 2xx answer may carry. */
  answer?: z.ZodType;
}

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
  name,
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description: 'Standard Webhooks signature header (standardwebhooks.com)',
}));

const toSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

const ERROR_SCHEMA = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: toSchema(ERROR_SCHEMA) } },
});

/**
 * The answers every route may give besides its own: bad bytes are a 4xx with a code (never a
 * 5xx, which clients take as "retry"), and a database outage is a 503 to retry later.
 */
const COMMON_ERRORS = {
  body: {
    400: errorResponse(
      `\`malformed_json\`, \`json_too_deep\` (nested deeper than ${MAX_JSON_DEPTH} levels), \`malformed_multipart\`, or \`validation_failed\``,
    ),
    413: errorResponse('`payload_too_large`'),
    415: errorResponse('`unsupported_media_type`'),
  },
  any: {
    422: errorResponse(
      '`invalid_characters`: a NUL byte, a lone UTF-16 surrogate or bytes that are not UTF-8 in a field or query parameter; `details.field` names it',
    ),
    503: errorResponse('`database_unavailable`: retry after `Retry-After` seconds', {
      'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' },
    }),
  },
};

function responsesOf(r: RouteDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    ...(r.request?.body ? COMMON_ERRORS.body : {}),
    ...COMMON_ERRORS.any,
  };
  for (const [status, s] of Object.entries(r.response ?? {})) {
    // A route's own codes for a common status come first; the common ones still apply.
    const common = (responses[status] as { description?: string } | undefined)?.description;
    const also = (own: string) => (common ? `${own}; also ${common}` : own);
    responses[status] =
      s instanceof z.ZodType
        ? {
            description: also(`HTTP ${status}`),
            content: { 'application/json': { schema: toSchema(s) } },
          }
        : {
            description: also(s.description),
            ...(s.contentType ? { content: { [s.contentType]: {} } } : {}),
          };
  }
  responses.default = errorResponse('Error');
  return responses;
}

export class OpenApiRegistry {
  private readonly routes = new Map<string, RouteDoc>();
  private readonly webhooks = new Map<string, WebhookDoc>();

  registerRoute(route: RouteDoc): void {
    this.routes.set(`${route.method} ${route.path}`, route);
  }

  registerWebhook(doc: WebhookDoc): void {
    this.webhooks.set(doc.name, doc);
  }

  private webhookDocs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const w of this.webhooks.values()) {
      out[w.name] = {
        post: {
          summary: w.summary,
          description: w.description,
          parameters: SIGNATURE_HEADERS,
          requestBody: { content: { 'application/json': { schema: toSchema(w.payload) } } },
          responses: {
            '2XX': {
              description: 'Accepted',
              ...(w.answer
                ? { content: { 'application/json': { schema: toSchema(w.answer) } } }
                : {}),
            },
            default: {
              description:
                'Retried on the schedule; the endpoint is switched off after repeated failures',
            },
          },
        },
      };
    }
    return out;
  }

  document(info: { title: string; version: string; serverUrl?: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of [...this.routes.values()].sort((a, b) => a.path.localeCompare(b.path))) {
      const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      const params = [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const queryParams: unknown[] = [];
      if (r.request?.query) {
        const q = toSchema(r.request.query) as {
          properties?: Record<string, unknown>;
          required?: string[];
        };
        for (const [name, schema] of Object.entries(q.properties ?? {})) {
          queryParams.push({
            name,
            in: 'query',
            required: (q.required ?? []).includes(name),
            schema,
          });
        }
      }
      const responses = responsesOf(r);
      paths[path] ??= {};
      paths[path][r.method] = {
        summary: r.summary,
        ...(r.tags ? { tags: r.tags } : {}),
        ...(r.scope
          ? { security: [{ bearer: [] }], 'x-required-scope': r.scope }
          : { security: [] }),
        parameters: [...params, ...queryParams],
        ...(r.request?.body
          ? {
              requestBody: {
                required: true,
                content: {
                  [r.request.contentType ?? 'application/json']: {
                    schema: toSchema(r.request.body),
                  },
                },
              },
            }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key: Bearer pr_…' },
        },
      },
      security: [{ bearer: [] }],
      paths,
      ...(this.webhooks.size > 0 ? { webhooks: this.webhookDocs() } : {}),
    };
  }
}

/** The process-wide registry every feature's /v1 routes add to. */
export const openApi = new OpenApiRegistry();
export const registerRoute = (route: RouteDoc): void => openApi.registerRoute(route);
