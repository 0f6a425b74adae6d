/** /v1/templates/:name: PUT adds a version, GET (latest or ?version=), DELETE, POST …/preview. */
import { jsonBody } from '../../middleware/json-body.js';
import { Router } from 'express';
import { z } from 'zod';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { previewSchema, templateSchema } from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
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

export function templatesRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  const r = Router();
  const json = jsonBody('10mb');
  const name = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0]! : (v ?? ''));

  api.registerRoute({
    method: 'put',
    path: '/v1/templates/:name',
    summary: 'Store a new version of a template (Handlebars; HTML escaped by default).',
    scope: 'admin',
    tags: ['templates'],
    request: { body: templateSchema },
    response: { 201: templateView },
  });
  r.put('/v1/templates/:name', requireScope('admin'), json, async (req, res) => {
    const body = parseOr422(templateSchema, req.body, 'template');
    const t = await s.templates.put(name(req.params.name), body);
    res.status(201).json({
      name: t.name,
      version: t.version,
      subject: t.subject,
      html: t.html,
      text: t.text,
      created_at: t.createdAt.toISOString(),
    });
  });

  api.registerRoute({
    method: 'get',
    path: '/v1/templates/:name',
    summary: 'The latest (or ?version=) version of a template, with the list of versions.',
    scope: 'read',
    tags: ['templates'],
    request: { query: versionQuery },
    response: { 200: templateView },
  });
  r.get('/v1/templates/:name', requireScope('read'), async (req, res) => {
    const q = parseOr422(versionQuery, req.query, 'query');
    const t = await s.templates.get(name(req.params.name), q.version);
    res.json({
      name: t.name,
      version: t.version,
      subject: t.subject,
      html: t.html,
      text: t.text,
      created_at: t.createdAt.toISOString(),
      versions: t.versions,
    });
  });

  api.registerRoute({
    method: 'delete',
    path: '/v1/templates/:name',
    summary: 'Delete a template (all versions stop resolving).',
    scope: 'admin',
    tags: ['templates'],
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/templates/:name', requireScope('admin'), async (req, res) => {
    await s.templates.remove(name(req.params.name));
    res.status(204).end();
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/templates/:name/preview',
    summary: 'Render with the given data; a missing variable is 422 listing every missing one.',
    scope: 'read',
    tags: ['templates'],
    request: { body: previewSchema },
    response: {
      200: z.object({
        version: z.number(),
        subject: z.string(),
        html: z.string().nullable(),
        text: z.string().nullable(),
      }),
    },
  });
  r.post('/v1/templates/:name/preview', requireScope('read'), json, async (req, res) => {
    const body = parseOr422(previewSchema, req.body ?? {}, 'preview');
    res.json(await s.templates.preview(name(req.params.name), body.data, body.version));
  });
  return r;
}
