/** Templates: list, edit (each save is a new version), preview with JSON data, version history. */
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import { sendEmailPreview } from '../sandbox.js';
import type { TemplatesPort } from '../services.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

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

export function registerTemplatePages(
  t: RouteTable,
  deps: PageDeps,
  templates: TemplatesPort,
): void {
  const { kit } = deps;

  t.get('/templates', 'admin', async (req, res) => {
    kit.render(
      req,
      res,
      'templates',
      { title: 'Templates', nav: 'templates' },
      { templates: await templates.reader.list() },
    );
  });

  t.post('/templates', 'admin', 'form', async (req, res) => {
    const name = checkName(req.body.name);
    const v = await templates.put(name, {
      subject: str(req.body.subject),
      ...(str(req.body.html) ? { html: str(req.body.html) } : {}),
      ...(str(req.body.text) ? { text: str(req.body.text) } : {}),
    });
    kit.redirectWith(res, `/templates/${encodeURIComponent(name)}`, `Saved version ${v.version}.`);
  });

  t.get('/templates/:name', 'admin', async (req, res) => {
    const name = checkName(req.params.name);
    const versions = await templates.reader.versions(name);
    if (versions.length === 0) throw new NotFoundError('template_not_found', 'No such template');
    const wanted = Number(req.query.version);
    const current = versions.find((v) => v.version === wanted) ?? versions[0]!;
    kit.render(
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
  });

  t.post('/templates/:name/preview', 'admin', 'form', async (req, res) => {
    const name = checkName(req.params.name);
    let data: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(str(req.body.data) || '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        data = parsed as Record<string, unknown>;
    } catch {
      return sendEmailPreview(res, '<p>The data is not valid JSON.</p>');
    }
    const version = Number(req.body.version);
    const r = await templates.preview(
      name,
      data,
      Number.isInteger(version) && version > 0 ? version : undefined,
    );
    sendEmailPreview(
      res,
      `<p style="font:13px sans-serif;color:#5f6b7a">Subject: ${escapeHtml(r.subject)}</p>${r.html ?? `<pre>${escapeHtml(r.text ?? '')}</pre>`}`,
    );
  });

  t.post('/templates/:name/delete', 'admin', 'form', async (req, res) => {
    const name = checkName(req.params.name);
    await templates.remove(name);
    kit.redirectWith(res, '/templates', `Template ${name} deleted.`);
  });
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
