/** Compose: to/cc/bcc, HTML with live preview or a template with JSON data, attachments, now or later. */
import { AppError } from '../../../lib/errors.js';
import { sendEmailPreview } from '../sandbox.js';
import type { ComposePort } from '../services.js';
import {
  readComposeFields,
  toComposeInput,
  type ComposeFields,
  type UploadedFile,
} from '../view-models/compose-form.js';
import type { RouteTable } from '../route-table.js';
import type { PageDeps } from '../page-deps.js';
import type { Request, Response } from 'express';

const EMPTY: ComposeFields = {
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  mode: 'html',
  html: '',
  text: '',
  template: '',
  data: '{}',
  tags: '',
  when: 'now',
  send_at: '',
};

export function registerComposePage(t: RouteTable, deps: PageDeps, compose: ComposePort): void {
  const show = async (req: Request, res: Response, fields: ComposeFields, problems: string[]) => {
    const names = compose.templateNames ? await compose.templateNames() : [];
    deps.kit.render(
      req,
      res,
      'compose',
      { title: 'Compose', nav: 'compose' },
      {
        f: fields,
        problems,
        templates: names.map((n) => ({ name: n, selected: n === fields.template })),
        hasTemplates: Boolean(compose.renderTemplate) && names.length > 0,
        modeTemplate: fields.mode === 'template',
        whenSchedule: fields.when === 'schedule',
      },
    );
  };

  t.get('/compose', 'admin', async (req, res) => {
    await show(
      req,
      res,
      { ...EMPTY, template: typeof req.query.template === 'string' ? req.query.template : '' },
      [],
    );
  });

  t.post('/compose', 'admin', 'multipart', async (req, res) => {
    const fields = readComposeFields(req.body as Record<string, unknown>);
    const files = (req.files as UploadedFile[] | undefined) ?? [];
    const parsed = toComposeInput(fields, files, deps.clock.now());
    if (!parsed.ok) {
      res.status(422);
      return show(req, res, fields, parsed.problems);
    }
    try {
      const { id } = await compose.send(parsed.input);
      deps.kit.redirectWith(
        res,
        `/messages/${id}`,
        parsed.input.sendAt ? 'Message scheduled.' : 'Message queued.',
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      res.status(err.status);
      await show(req, res, fields, [err.message]);
    }
  });

  // The preview form targets the sandboxed iframe; it works without JS (a button) and with it.
  t.post('/compose/preview', 'admin', 'multipart', async (req, res) => {
    const f = readComposeFields(req.body as Record<string, unknown>);
    if (f.mode === 'template' && compose.renderTemplate && f.template) {
      let data: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(f.data || '{}');
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          data = parsed as Record<string, unknown>;
      } catch {
        return sendEmailPreview(
          res,
          '<p style="color:#b42318">Template data is not valid JSON.</p>',
        );
      }
      try {
        const r = await compose.renderTemplate(f.template, data);
        return sendEmailPreview(res, r.html ?? `<pre>${escapeHtml(r.text ?? '')}</pre>`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return sendEmailPreview(res, `<p style="color:#b42318">${escapeHtml(err.message)}</p>`);
      }
    }
    sendEmailPreview(res, f.html || `<pre>${escapeHtml(f.text)}</pre>`);
  });
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
