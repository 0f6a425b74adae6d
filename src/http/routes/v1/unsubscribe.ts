/**
 * /u/:token: RFC 8058 one-click. POST unsubscribes at once (mail clients post
 * "List-Unsubscribe=One-Click" with no cookies or confirmation); GET only shows a page with a
 * button, because link scanners follow GET.
 */
import express, { Router } from 'express';
import type { OutboundServices } from '../../../services/outbound/index.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<title>${escape(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}` +
  `button{font:inherit;padding:.5rem 1rem}</style></head><body>${body}</body></html>`;

export function unsubscribeRouter(s: OutboundServices, api: OpenApiRegistry): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const token = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0]! : (v ?? ''));

  api.registerRoute({
    method: 'get',
    path: '/u/:token',
    summary: 'Unsubscribe confirmation page.',
    scope: null,
    tags: ['unsubscribe'],
    response: { 200: { description: 'HTML page', contentType: 'text/html' } },
  });
  r.get('/u/:token', (req, res) => {
    try {
      const { address } = s.unsubscribe.inspect(token(req.params.token));
      res
        .type('html')
        .send(
          page(
            'Unsubscribe',
            `<h1>Unsubscribe</h1><p>Stop sending these emails to <strong>${escape(address)}</strong>?</p>` +
              `<form method="post"><button type="submit">Unsubscribe</button></form>`,
          ),
        );
    } catch {
      res
        .status(400)
        .type('html')
        .send(page('Invalid link', '<h1>This unsubscribe link is not valid</h1>'));
    }
  });

  api.registerRoute({
    method: 'post',
    path: '/u/:token',
    summary: 'One-click unsubscribe (RFC 8058).',
    scope: null,
    tags: ['unsubscribe'],
    response: { 200: { description: 'Unsubscribed' } },
  });
  r.post('/u/:token', form, async (req, res) => {
    const { address } = await s.unsubscribe.unsubscribe(token(req.params.token));
    if (req.accepts(['html', 'json']) === 'json') res.json({ unsubscribed: address });
    else
      res
        .type('html')
        .send(
          page(
            'Unsubscribed',
            `<h1>Unsubscribed</h1><p>${escape(address)} will get no more of these emails.</p>`,
          ),
        );
  });
  return r;
}
