/**
 * Handlebars compilation for the check-in mails. Each mail is an {html, text} pair over one
 * view model; the HTML half escapes, the text half does not (it is plain text, not markup).
 * A private Handlebars environment keeps our helpers out of the user templates in templates/.
 */
import Handlebars from 'handlebars';

const hb = Handlebars.create();
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export function compilePair<V extends { subject: string }>(
  html: string,
  text: string,
): (view: V) => RenderedMail {
  const h = hb.compile(html, { strict: false });
  const t = hb.compile(text, { noEscape: true, strict: false });
  return (view) => ({
    subject: view.subject,
    html: h(view),
    text:
      t(view)
        .replace(/\n{3,}/g, '\n\n')
        .trim() + '\n',
  });
}

/** The escaping the HTML half applies, for values substituted into a rendered mail afterwards. */
export const escapeHtml = (value: string): string => hb.Utils.escapeExpression(value);

export const LAYOUT_START =
  '<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2328;max-width:640px">';
export const LAYOUT_END = '</body></html>';
