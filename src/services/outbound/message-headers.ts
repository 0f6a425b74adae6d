/**
 * What a message puts in header lines, checked before accept: custom headers (no forging what we
 * set, no line breaks), and every field that becomes a header of the message or of a MIME part
 * (subject, references, attachment filename, content type and content id) on one line.
 */
import { ValidationError } from '../../lib/errors.js';
import { validateCustomHeaders, hasLineBreak } from '../../domain/outbound/headers.js';
import type { SendMessageParsed } from './schemas.js';

/** Custom headers may not forge what we set, nor smuggle a line break (internal callers may set more). */
export function checkHeaders(p: SendMessageParsed, internal: boolean): Record<string, string> {
  const headers = p.headers ?? {};
  const headerIssues = validateCustomHeaders(headers, { internal });
  if (headerIssues.length > 0) {
    const injection = headerIssues.some((i) => i.code === 'header_injection');
    throw new ValidationError(
      'Headers not allowed',
      { headers: headerIssues },
      injection ? 'header_injection' : 'invalid_headers',
    );
  }
  return headers;
}

/** Fields that end up in a header line must be one line, or they could inject headers. */
export function checkSingleLines(p: SendMessageParsed): void {
  for (const [field, value] of [
    ['subject', p.subject],
    ['in_reply_to', p.in_reply_to],
    ['list_unsubscribe.url', p.list_unsubscribe?.url],
    ['list_unsubscribe.mailto', p.list_unsubscribe?.mailto],
    ...(p.references ?? []).map((r) => ['references', r] as const),
    ...(p.attachments ?? []).flatMap((a) => [
      ['attachments.filename', a.filename] as const,
      // Both become MIME part headers (Content-Type, Content-ID): the same rule as any header.
      ['attachments.content_type', a.content_type] as const,
      ['attachments.content_id', a.content_id] as const,
    ]),
  ] as Array<[string, string | undefined]>) {
    if (value !== undefined && hasLineBreak(value)) {
      throw new ValidationError(`${field} must be a single line`, { field }, 'header_injection');
    }
  }
  for (const a of p.attachments ?? []) {
    if (!MEDIA_TYPE.test(a.content_type))
      throw new ValidationError(
        'attachments.content_type must be a media type such as application/pdf',
        { field: 'attachments.content_type', value: a.content_type },
        'invalid_content_type',
      );
  }
}

/** type/subtype, then optional parameters (RFC 2045 tokens). */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;.*)?$/;
