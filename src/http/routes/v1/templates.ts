/** /v1/templates/:name: PUT adds a version, GET (latest or ?version=), DELETE, POST …/preview. */
import { jsonBody } from '../../middleware/json-body.js';
import { Router, type Request as Req, type Response as Res } from 'express';
import { z } from 'zod';
import type { TemplateVersion } from '../../../domain/outbound/message.js';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { previewSchema, templateSchema } from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { mountRoutes, param, type V1Route } from './route-table.js';
import { parseOr422 } from './validate.js';

const templateView = z.object({
  name: z.string(),
  version: z.number(),
  subject: z.string(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  created_at: z.string(),
  versions: z.array(z.number()).optional(),
});
const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() }).strict();

const json = jsonBody('10mb');
const templateName = (req: Req) => param(req.params.name) ?? '';

function view(t: TemplateVersion) {
  return {
    name: t.name,
    version: t.version,
    subject: t.subject,
    html: t.html,
    text: t.text,
    created_at: t.createdAt.toISOString(),
  };
}

async function put(s: OutboundServices, req: Req, res: Res) {
  const body = parseOr422(templateSchema, req.body, 'template');
  res.status(201).json(view(await s.templates.put(templateName(req), body)));
}

async function get(s: OutboundServices, req: Req, res: Res) {
  const q = parseOr422(versionQuery, req.query, 'query');
  const t = await s.templates.get(templateName(req), q.version);
  res.json({ ...view(t), versions: t.versions });
}

async function remove(s: OutboundServices, req: Req, res: Res) {
  await s.templates.remove(templateName(req));
  res.status(204).end();
}

async function preview(s: OutboundServices, req: Req, res: Res) {
  const body = parseOr422(previewSchema, req.body ?? {}, 'preview');
  res.json(await s.templates.preview(templateName(req), body.data, body.version));
}

const tags = ['templates'];

const routes: Array<V1Route<OutboundServices>> = [
  {
    doc: {
      method: 'put',
      path: '/v1/templates/:name',
      summary: 'Store a new version of a template (Handlebars; HTML escaped by default).',
      scope: 'admin',
      tags,
      request: { body: templateSchema },
      response: { 201: templateView },
    },
    before: [json],
    handle: put,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/templates/:name',
      summary: 'The latest (or ?version=) version of a template, with the list of versions.',
      scope: 'read',
      tags,
      request: { query: versionQuery },
      response: { 200: templateView },
    },
    handle: get,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/templates/:name',
      summary: 'Delete a template (all versions stop resolving).',
      scope: 'admin',
      tags,
      response: { 204: { description: 'Deleted' } },
    },
    handle: remove,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/templates/:name/preview',
      summary: 'Render with the given data; a missing variable is 422 listing every missing one.',
      scope: 'read',
      tags,
      request: { body: previewSchema },
      response: {
        200: z.object({
          version: z.number(),
          subject: z.string(),
          html: z.string().nullable(),
          text: z.string().nullable(),
        }),
      },
    },
    before: [json],
    handle: preview,
  },
];

export function templatesRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  return mountRoutes(Router(), s, api, requireScope, routes);
}
