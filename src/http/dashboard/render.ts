/**
 * Handlebars views for the dashboard. `{{ }}` escapes everything (including quotes, `=` and
 * backticks, so quoted attributes are safe); the code has no triple-stash except for the
 * page body the layout wraps, which is itself rendered by this module. Pages get view models
 * built in TypeScript; templates only lay them out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));
export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

export interface LayoutModel {
  title: string;
  /** Highlights the nav entry; `null` hides the nav (login, member pages). */
  nav: string | null;
  admin?: { email: string } | null;
  csrf?: string;
  flash?: { kind: 'ok' | 'error'; text: string } | null;
}

type Template = Handlebars.TemplateDelegate;

export interface Renderer {
  render(page: string, layout: LayoutModel, model: object): string;
}

export function formatTime(v: unknown): string {
  const d =
    v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function createRenderer(viewsDir: string = VIEWS_DIR): Renderer {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('time', (v: unknown) => formatTime(v));
  hb.registerHelper('json', (v: unknown) => JSON.stringify(v, null, 2));
  hb.registerHelper('nav', function (this: { nav?: string | null }, name: string) {
    return this.nav === name ? 'page' : 'false';
  });
  const partialsDir = join(viewsDir, 'partials');
  for (const f of readdirSync(partialsDir)) {
    if (f.endsWith('.hbs'))
      hb.registerPartial(basename(f, '.hbs'), readFileSync(join(partialsDir, f), 'utf8'));
  }
  const compile = (file: string): Template =>
    hb.compile(readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
  const layout = compile(join(viewsDir, 'layout.hbs'));
  const pages = new Map<string, Template>();
  const pagesDir = join(viewsDir, 'pages');
  for (const f of readdirSync(pagesDir)) {
    if (f.endsWith('.hbs')) pages.set(basename(f, '.hbs'), compile(join(pagesDir, f)));
  }
  return {
    render(page, layoutModel, model) {
      const tpl = pages.get(page);
      if (!tpl) throw new Error(`no dashboard view "${page}"`);
      const ctx = { ...layoutModel, ...model };
      const body = tpl(ctx);
      return layout({ ...layoutModel, body: new hb.SafeString(body) });
    },
  };
}
