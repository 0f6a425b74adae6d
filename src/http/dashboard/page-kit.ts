/** Small helpers shared by the page modules: render with the layout, flash notices, redirects. */
import type { Request, Response } from 'express';
import type { Renderer } from './render.js';
import { clearCookie, readCookie, setCookie, type CookieFlags } from './cookies.js';

const FLASH_COOKIE = 'pr_flash';

export interface PageKit {
  render(
    req: Request,
    res: Response,
    view: string,
    meta: { title: string; nav: string | null },
    model?: object,
  ): void;
  /** Redirects after a POST and shows `text` once on the next page. */
  redirectWith(res: Response, location: string, text: string, kind?: 'ok' | 'error'): void;
}

export function createPageKit(renderer: Renderer, cookies: CookieFlags): PageKit {
  return {
    render(req, res, view, meta, model = {}) {
      let flash: { kind: 'ok' | 'error'; text: string } | null = null;
      const raw = readCookie(req, FLASH_COOKIE);
      if (raw) {
        try {
          const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as {
            k?: string;
            t?: string;
          };
          if (typeof parsed.t === 'string')
            flash = { kind: parsed.k === 'error' ? 'error' : 'ok', text: parsed.t.slice(0, 300) };
        } catch {
          flash = null;
        }
        clearCookie(res, cookies, FLASH_COOKIE);
      }
      const html = renderer.render(
        view,
        {
          title: meta.title,
          nav: res.locals.admin ? meta.nav : null,
          admin: res.locals.admin ? { email: res.locals.admin.email } : null,
          csrf: res.locals.csrf ?? '',
          flash,
        },
        model,
      );
      res.type('html').send(html);
    },
    redirectWith(res, location, text, kind = 'ok') {
      const value = Buffer.from(JSON.stringify({ k: kind, t: text })).toString('base64url');
      setCookie(res, cookies, FLASH_COOKIE, value, { maxAgeSeconds: 60 });
      res.redirect(303, location);
    },
  };
}

/** Only same-site relative paths are followed after sign-in. */
export function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) && v.length < 500 ? v : '/';
}

/** The choices of a filter's select, the current one selected; '' stands for "any". */
export function choices(values: readonly string[], current: string, anyLabel: string) {
  return values.map((v) => ({ value: v, label: v || anyLabel, selected: v === current }));
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Template data typed into a form: a JSON object (anything else counts as `{}`), or null if not JSON. */
export function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return null;
  }
}
