/** Compose: to/cc/bcc, HTML with live preview or a template with JSON data, attachments, now or later. */
import type { Request, Response } from 'express';
import { AppError } from '../../../lib/errors.js';
import { escapeHtml, sendEmailPreview } from '../sandbox.js';
import type { ComposePort } from '../services.js';
import {
  readComposeFields,
  toComposeInput,
  type ComposeFields,
  type UploadedFile,
} from '../view-models/compose-form.js';
import type { RouteTable } from '../route-table.js';
import type { PageDeps } from '../page-deps.js';
import { jsonObject } from '../page-kit.js';

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

interface ComposePage extends PageDeps {
  compose: ComposePort;
}

export function registerComposePage(t: RouteTable, deps: PageDeps, compose: ComposePort): void {
  const p: ComposePage = { ...deps, compose };
  t.get('/compose', 'admin', (req, res) => {
    const template = typeof req.query.template === 'string' ? req.query.template : '';
    return showForm(p, req, res, { ...EMPTY, template }, []);
  });
  t.post('/compose', 'admin', 'multipart', (req, res) => send(p, req, res));
  // The preview form targets the sandboxed iframe; it works without JS (a button) and with it.
  t.post('/compose/preview', 'admin', 'multipart', (req, res) => preview(p, req, res));
}

async function showForm(
  p: ComposePage,
  req: Request,
  res: Response,
  fields: ComposeFields,
  problems: string[],
): Promise<void> {
  const names = p.compose.templateNames ? await p.compose.templateNames() : [];
  p.kit.render(
    req,
    res,
    'compose',
    { title: 'Compose', nav: 'compose' },
    {
      f: fields,
      problems,
      templates: names.map((n) => ({ name: n, selected: n === fields.template })),
      hasTemplates: Boolean(p.compose.renderTemplate) && names.length > 0,
      modeTemplate: fields.mode === 'template',
      whenSchedule: fields.when === 'schedule',
    },
  );
}

/** A problem the sender can fix is shown on the form they filled in; anything else is an error. */
async function send(p: ComposePage, req: Request, res: Response): Promise<void> {
  const fields = readComposeFields(req.body as Record<string, unknown>);
  const files = (req.files as UploadedFile[] | undefined) ?? [];
  const parsed = toComposeInput(fields, files, p.clock.now());
  if (!parsed.ok) {
    res.status(422);
    return showForm(p, req, res, fields, parsed.problems);
  }
  try {
    const { id } = await p.compose.send(parsed.input);
    p.kit.redirectWith(
      res,
      `/messages/${id}`,
      parsed.input.sendAt ? 'Message scheduled.' : 'Message queued.',
    );
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    res.status(err.status);
    await showForm(p, req, res, fields, [err.message]);
  }
}

async function preview(p: ComposePage, req: Request, res: Response): Promise<void> {
  const f = readComposeFields(req.body as Record<string, unknown>);
  if (f.mode === 'template' && p.compose.renderTemplate && f.template) {
    const data = jsonObject(f.data);
    if (!data)
      return sendEmailPreview(res, '<p style="color:#b42318">Template data is not valid JSON.</p>');
    try {
      const r = await p.compose.renderTemplate(f.template, data);
      return sendEmailPreview(res, r.html ?? `<pre>${escapeHtml(r.text ?? '')}</pre>`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return sendEmailPreview(res, `<p style="color:#b42318">${escapeHtml(err.message)}</p>`);
    }
  }
  sendEmailPreview(res, f.html || `<pre>${escapeHtml(f.text)}</pre>`);
}
