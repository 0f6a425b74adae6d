/**
 * Email HTML is only ever shown inside `<iframe sandbox>` from a route that answers with this
 * policy: no scripts, no remote loads (images only from data: URIs), no forms, no navigation of
 * the parent, and only our own pages may frame it.
 */
import type { Response } from 'express';

export const EMAIL_PREVIEW_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  'font-src data:',
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

export function sendEmailPreview(res: Response, html: string): void {
  res.setHeader('Content-Security-Policy', EMAIL_PREVIEW_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(html);
}

/** A stored MIME message, as a download only: never rendered, never sniffed into HTML. */
export function sendRawMessage(res: Response, raw: Buffer, filename: string): void {
  res.setHeader('Content-Type', 'message/rfc822');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.send(raw);
}

/** For the text we wrap around a preview (a subject line, a plain-text body, an error). */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
