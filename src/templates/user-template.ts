/**
 * User templates (PUT /v1/templates/:name): Handlebars, HTML-escaped by default in the HTML
 * part ({{{triple}}} opts out), not escaped in the subject and text parts (they are not HTML).
 *
 * Strict: a variable the template uses but the data lacks is an error that lists *every* such
 * variable, not just the first one Handlebars trips over. A static walk of the template finds
 * the top-level ones (honouring {{#if}}/{{#unless}} branches that will not render); Handlebars'
 * own strict mode catches the rest (inside {{#each}}/{{#with}}) at render time.
 */
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import { ValidationError } from '../lib/errors.js';

type HbNode = hbs.AST.Node;
type HbProgram = hbs.AST.Program;

const hb = Handlebars.create();

export interface TemplateSource {
  subject: string;
  html: string | null;
  text: string | null;
}

export interface RenderedTemplate {
  subject: string;
  html: string | null;
  text: string | null;
}

interface Part {
  ast: HbProgram;
  render: Handlebars.TemplateDelegate;
}

export interface CompiledTemplate {
  subject: Part;
  html: Part | null;
  text: Part | null;
}

/** Throws 422 `template_invalid` naming the part with a syntax error. */
export function compileTemplate(src: TemplateSource): CompiledTemplate {
  const part = (name: string, source: string, escape: boolean): Part => {
    try {
      const ast = hb.parse(source);
      const render = hb.compile(source, { strict: true, noEscape: !escape });
      // compile() is lazy; force it now so syntax errors surface at PUT time.
      render({}, { allowProtoPropertiesByDefault: false });
      return { ast, render };
    } catch (err) {
      if (err instanceof Error && /not defined in/.test(err.message)) {
        return {
          ast: hb.parse(source),
          render: hb.compile(source, { strict: true, noEscape: !escape }),
        };
      }
      throw new ValidationError(
        `Template ${name} does not compile`,
        {
          part: name,
          error: err instanceof Error ? err.message : String(err),
        },
        'template_invalid',
      );
    }
  };
  return {
    subject: part('subject', src.subject, false),
    html: src.html === null ? null : part('html', src.html, true),
    text: src.text === null ? null : part('text', src.text, false),
  };
}

/** Renders all parts; a missing variable → 422 `template_variables_missing` listing them all. */
export function renderTemplate(
  t: CompiledTemplate,
  data: Record<string, unknown>,
): RenderedTemplate {
  const missing = new Set<string>();
  for (const part of [t.subject, t.html, t.text]) if (part) collectMissing(part.ast, data, missing);
  const out: Partial<RenderedTemplate> = {};
  const run = (p: Part | null): string | null => {
    if (!p) return null;
    try {
      return p.render(data);
    } catch (err) {
      const m = err instanceof Error ? /"([^"]+)" not defined/.exec(err.message) : null;
      if (!m) throw err;
      missing.add(m[1]!);
      return '';
    }
  };
  if (missing.size === 0) {
    out.subject = run(t.subject) ?? '';
    out.html = run(t.html);
    out.text = run(t.text);
  }
  if (missing.size > 0) {
    const list = [...missing].sort();
    throw new ValidationError(
      `Template data is missing: ${list.join(', ')}`,
      { missing: list },
      'template_variables_missing',
    );
  }
  if (out.text === null && out.html) out.text = htmlToText(out.html);
  return out as RenderedTemplate;
}

export function htmlToText(html: string): string {
  return convert(html, { wordwrap: 78, selectors: [{ selector: 'img', format: 'skip' }] });
}

/** Every variable the template reads at the top level (for the 422 listing and for docs). */
function collectMissing(node: HbNode, data: Record<string, unknown>, missing: Set<string>): void {
  switch (node.type) {
    case 'Program':
      for (const s of (node as HbProgram).body) collectMissing(s, data, missing);
      return;
    case 'MustacheStatement': {
      const m = node as hbs.AST.MustacheStatement;
      if (m.path.type === 'PathExpression' && m.params.length === 0 && !m.hash) {
        checkPath(m.path as hbs.AST.PathExpression, data, missing);
      }
      return;
    }
    case 'BlockStatement': {
      const b = node as hbs.AST.BlockStatement;
      const helper =
        b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
      if ((helper === 'if' || helper === 'unless') && b.params[0]?.type === 'PathExpression') {
        const value = lookup(data, (b.params[0] as hbs.AST.PathExpression).parts);
        const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
        const branch = truthy === (helper === 'if') ? b.program : b.inverse;
        if (branch) collectMissing(branch, data, missing);
      }
      // {{#each}}, {{#with}} and custom blocks change the context: left to strict mode.
      return;
    }
    default:
      return;
  }
}

function checkPath(
  p: hbs.AST.PathExpression,
  data: Record<string, unknown>,
  missing: Set<string>,
): void {
  if (p.data || p.depth > 0 || p.parts.length === 0 || p.original === 'this') return;
  if (hb.helpers[p.parts[0]!] && p.parts.length === 1) return;
  if (lookup(data, p.parts) === undefined) missing.add(p.parts.join('.'));
}

function lookup(data: unknown, parts: string[]): unknown {
  let cur: unknown = data;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part))
      return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
