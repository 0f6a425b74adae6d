/**
 * The check-in preferences page (GET/POST /preferences?token=) and the RFC 8058 one-click
 * unsubscribe (POST /preferences/unsubscribe?token=, body `List-Unsubscribe=One-Click`; a GET
 * shows a confirmation button instead of acting, because link scanners follow GETs).
 */
import express, { Router, type Request, type Response } from 'express';
import type { PreferencesService } from '../../../services/checkins/preferences.js';
import { BadRequestError } from '../../../lib/errors.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const LABEL = {
  prompt: 'Daily check-in prompts',
  reminder: 'Reminders',
  digest: 'Team digests',
} as const;

function tokenOf(req: Request): string {
  const t = req.query.token;
  if (typeof t !== 'string' || t.length === 0 || t.length > 1000)
    throw new BadRequestError('token_required', 'A token query parameter is required');
  return t;
}

function layout(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Email preferences</title></head><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:520px;margin:40px auto;padding:0 16px">${body}</body></html>`;
}

type Handler = (prefs: PreferencesService, req: Request, res: Response) => Promise<void> | void;

/** The form: one checkbox per kind of mail. */
const showPreferences: Handler = async (prefs, req, res) => {
  const token = tokenOf(req);
  const p = await prefs.show(token);
  const rows = (Object.keys(LABEL) as Array<keyof typeof LABEL>)
    .map(
      (k) =>
        `<p><label><input type="checkbox" name="${k}" value="on"${p.subscriptions[k] ? ' checked' : ''}> ${LABEL[k]}</label></p>`,
    )
    .join('');
  res
    .type('html')
    .send(
      layout(
        `<h1>Email preferences</h1><p>${esc(p.member.name)} &lt;${esc(p.member.email)}&gt; in ${esc(p.team.name)}</p><form method="post" action="/preferences?token=${encodeURIComponent(token)}">${rows}<button type="submit">Save</button></form>`,
      ),
    );
};

/** The form posted: every kind at once (an unchecked box is absent from the body). */
const savePreferences: Handler = async (prefs, req, res) => {
  const token = tokenOf(req);
  const b = (req.body ?? {}) as Record<string, unknown>;
  const p = await prefs.update(token, {
    prompt: b.prompt === 'on',
    reminder: b.reminder === 'on',
    digest: b.digest === 'on',
  });
  if (req.accepts(['html', 'json']) === 'json') {
    res.json(p);
    return;
  }
  res
    .type('html')
    .send(
      layout(`<h1>Saved</h1><p>Your email preferences for ${esc(p.team.name)} are updated.</p>`),
    );
};

/** A GET only shows a button: link scanners follow GETs and must not unsubscribe anyone. */
const confirmUnsubscribe: Handler = (_prefs, req, res) => {
  const token = tokenOf(req);
  res
    .type('html')
    .send(
      layout(
        `<h1>Unsubscribe</h1><form method="post" action="/preferences/unsubscribe?token=${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
      ),
    );
};

const unsubscribe: Handler = async (prefs, req, res) => {
  const { kind, memberId } = await prefs.unsubscribe(tokenOf(req));
  if (req.body?.['List-Unsubscribe'] === 'One-Click') {
    res.status(200).json({ unsubscribed: kind });
    return;
  }
  res
    .type('html')
    .send(
      layout(
        `<h1>Unsubscribed</h1><p>You will no longer get ${LABEL[kind].toLowerCase()}.</p><p><a href="${esc(prefs.preferencesUrl(memberId))}">Email preferences</a></p>`,
      ),
    );
};

export function preferencesRouter(prefs: PreferencesService): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const bound = (h: Handler) => (req: Request, res: Response) => h(prefs, req, res);
  r.get('/preferences', bound(showPreferences));
  r.post('/preferences', form, bound(savePreferences));
  r.get('/preferences/unsubscribe', bound(confirmUnsubscribe));
  r.post('/preferences/unsubscribe', form, bound(unsubscribe));
  return r;
}
