/**
 * Which custom headers a caller may set. We own every header that identifies, addresses,
 * structures or authenticates the message; a caller who could set them could forge mail or
 * break threading and unsubscribe. CR, LF and NUL anywhere mean header injection.
 */

/** Headers Postroom writes itself; lower-case. */
const OWNED = new Set([
  'message-id',
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'return-path',
  'received',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'dkim-signature',
  'in-reply-to',
  'references',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

/** Headers only internal callers (inbound rejections, check-ins prompts) may set. */
const INTERNAL_ONLY = new Set(['auto-submitted', 'x-auto-response-suppress', 'precedence']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,76}$/;
const CONTROL = /[\r\n\0]/;
const MAX_VALUE = 998;

export interface HeaderIssue {
  header: string;
  code: 'header_injection' | 'header_reserved' | 'header_invalid_name' | 'header_too_long';
  message: string;
}

export function validateCustomHeaders(
  headers: Record<string, string>,
  opts: { internal?: boolean } = {},
): HeaderIssue[] {
  const issues: HeaderIssue[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) {
      issues.push({
        header: name,
        code: 'header_invalid_name',
        message: 'not a valid header name',
      });
    } else if (OWNED.has(lower) || (INTERNAL_ONLY.has(lower) && !opts.internal)) {
      issues.push({
        header: name,
        code: 'header_reserved',
        message: 'this header is set by Postroom',
      });
    } else if (CONTROL.test(value)) {
      issues.push({
        header: name,
        code: 'header_injection',
        message: 'CR, LF and NUL are not allowed',
      });
    } else if (value.length > MAX_VALUE) {
      issues.push({
        header: name,
        code: 'header_too_long',
        message: `longer than ${MAX_VALUE} characters`,
      });
    }
  }
  return issues;
}

/** For single-line fields we put into headers ourselves (subject, names, filenames). */
export function hasLineBreak(value: string): boolean {
  return CONTROL.test(value);
}
