/**
 * Our own relay: a `message/rfc822` body with a Bearer token, from `postroom relay` in a
 * Postfix/Exim pipe or a Cloudflare Email Worker. The envelope travels in optional
 * `X-Envelope-From` / `X-Envelope-To` headers (comma-separated).
 *
 * Contract: 401 bad token, 415 wrong content type, 400 empty body.
 */
import { AppError, BadRequestError } from '../../lib/errors.js';
import { bearerOk, WebhookAuthError } from './auth.js';
import { header, type HttpHeaders, type RawInbound } from './types.js';

export function checkRelayAuth(headers: HttpHeaders, tokens: readonly string[]): void {
  if (!bearerOk(headers, tokens)) {
    throw new WebhookAuthError(401, 'invalid_token', 'Bearer token does not match RELAY_TOKENS');
  }
}

export function relayInbound(
  headers: HttpHeaders,
  body: Buffer,
  tokens: readonly string[],
): RawInbound {
  checkRelayAuth(headers, tokens);
  const type = (header(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'message/rfc822') {
    throw new AppError(415, 'unsupported_media_type', 'Content-Type must be message/rfc822');
  }
  if (body.length === 0) throw new BadRequestError('raw_missing', 'Request body is empty');
  const to = header(headers, 'x-envelope-to');
  const from = header(headers, 'x-envelope-from');
  return {
    provider: 'relay',
    providerEventId: null,
    raw: body,
    envelope: {
      from: from === undefined ? null : from.trim().replace(/^<|>$/g, ''),
      to: to
        ? to
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    },
    verdicts: {},
    extras: {},
  };
}
