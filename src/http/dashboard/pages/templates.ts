/** Templates: list, edit (each save is a new version), preview with JSON data, version history. */
import type { Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import type { PageDeps } from '../page-deps.js';
import { jsonObject, str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import { escapeHtml, sendEmailPreview } from '../sandbox.js';
import type { TemplatesPort } from '../services.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

interface TemplatePages extends PageDeps {
  templates: TemplatesPort;
}

export function registerTemplatePages(
  t: RouteTable,
  deps: PageDeps,
  templates: TemplatesPort,
): void {
  const p: TemplatePages = { ...deps, templates };
  t.get('/templates', 'admin', (req, res) => templateList(p, req, res));
  t.post('/templates', 'admin', 'form', (req, res) => saveTemplate(p, req, res));
  t.get('/templates/:name', 'admin', (req, res) => templatePage(p, req, res));
  t.post('/templates/:name/preview', 'admin', 'form', (req, res) => previewTemplate(p, req, res));
  t.post('/templates/:name/delete', 'admin', 'form', (req, res) => deleteTemplate(p, req, res));
}

function checkName(v: unknown): string {
  const name = typeof v === 'string' ? v.trim() : '';
  if (!NAME.test(name))
    throw new ValidationError(
      'Template names use letters, digits, dot, dash and underscore',
      undefined,
      'invalid_template_name',
    );
  return name;
}

async function templateList(p: TemplatePages, req: Request, res: Response): Promise<void> {
  const templates = await p.templates.reader.list();
  p.kit.render(req, res, 'templates', { title: 'Templates', nav: 'templates' }, { templates });
}

async function saveTemplate(p: TemplatePages, req: Request, res: Response): Promise<void> {
  const name = checkName(req.body.name);
  const v = await p.templates.put(name, {
    subject: str(req.body.subject),
    ...(str(req.body.html) ? { html: str(req.body.html) } : {}),
    ...(str(req.body.text) ? { text: str(req.body.text) } : {}),
  });
  p.kit.redirectWith(res, `/templates/${encodeURIComponent(name)}`, `Saved version ${v.version}.`);
}

async function templatePage(p: TemplatePages, req: Request, res: Response): Promise<void> {
  const name = checkName(req.params.name);
  const versions = await p.templates.reader.versions(name);
  if (versions.length === 0) throw new NotFoundError('template_not_found', 'No such template');
  const wanted = Number(req.query.version);
  const current = versions.find((v) => v.version === wanted) ?? versions[0]!;
  p.kit.render(
    req,
    res,
    'template',
    { title: `Template ${name}`, nav: 'templates' },
    {
      name,
      current,
      isLatest: current.version === versions[0]!.version,
      versions: versions.map((v) => ({ ...v, selected: v.version === current.version })),
    },
  );
}

async function previewTemplate(p: TemplatePages, req: Request, res: Response): Promise<void> {
  const name = checkName(req.params.name);
  const data = jsonObject(str(req.body.data));
  if (!data) return sendEmailPreview(res, '<p>The data is not valid JSON.</p>');
  const version = Number(req.body.version);
  const r = await p.templates.preview(
    name,
    data,
    Number.isInteger(version) && version > 0 ? version : undefined,
  );
  sendEmailPreview(
    res,
    `<p style="font:13px sans-serif;color:#5f6b7a">Subject: ${escapeHtml(r.subject)}</p>${r.html ?? `<pre>${escapeHtml(r.text ?? '')}</pre>`}`,
  );
}

async function deleteTemplate(p: TemplatePages, req: Request, res: Response): Promise<void> {
  const name = checkName(req.params.name);
  await p.templates.remove(name);
  p.kit.redirectWith(res, '/templates', `Template ${name} deleted.`);
}
