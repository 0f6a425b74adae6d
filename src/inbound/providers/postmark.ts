/**
 * Postmark inbound: JSON with `RawEmail` (the "Include raw email content" option).
 *
 * Contract: 403 stops Postmark's retries, so bad Basic credentials get it. A payload without
 * RawEmail gets 422 with a hint (it will never succeed until the option is ticked), malformed
 * JSON 400. Auth is checked before the body is parsed.
 */
import { AppError, BadRequestError } from '../../lib/errors.js';
import { basicAuthOk, WebhookAuthError } from './auth.js';
import type { HttpHeaders, RawInbound } from './types.js';

export function checkPostmarkAuth(headers: HttpHeaders, pairs: readonly string[]): void {
  if (!basicAuthOk(headers, pairs)) {
    throw new WebhookAuthError(
      403,
      'invalid_credentials',
      'Basic credentials do not match POSTMARK_INBOUND_AUTH',
    );
  }
}

export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('malformed_json', 'Request body is not valid JSON');
  }
}

type Json = Record<string, unknown>;

export function postmarkInbound(
  headers: HttpHeaders,
  body: Buffer,
  authPairs: readonly string[],
): RawInbound {
  checkPostmarkAuth(headers, authPairs);
  const payload = parseJsonBody(body);
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new BadRequestError('malformed_json', 'Expected a JSON object');
  }
  const p = payload as Json;
  if (typeof p.RawEmail !== 'string' || p.RawEmail.length === 0) {
    throw new AppError(
      422,
      'raw_email_missing',
      'RawEmail is missing: enable "Include raw email content in JSON payload" in the Postmark inbound settings',
    );
  }
  const list = Array.isArray(p.Headers) ? (p.Headers as Json[]) : [];
  const h = (name: string): string | undefined => {
    const found = list.find(
      (x) => typeof x?.Name === 'string' && x.Name.toLowerCase() === name.toLowerCase(),
    );
    return typeof found?.Value === 'string' ? found.Value : undefined;
  };
  const verdicts: Record<string, string> = {};
  const spamStatus = h('X-Spam-Status');
  if (spamStatus) verdicts.spam = spamStatus;
  const spamScore = h('X-Spam-Score');
  if (spamScore) verdicts.spam_score = spamScore;
  const spf = h('Received-SPF');
  if (spf) verdicts.spf = spf;
  const extras: Record<string, string> = {};
  if (typeof p.StrippedTextReply === 'string' && p.StrippedTextReply !== '') {
    extras.stripped_text = p.StrippedTextReply;
  }
  const returnPath = h('Return-Path');
  return {
    provider: 'postmark',
    providerEventId: typeof p.MessageID === 'string' ? p.MessageID : null,
    // Postmark delivers the MIME source as a JSON string; its bytes are that string's UTF-8.
    raw: Buffer.from(p.RawEmail, 'utf8'),
    envelope: {
      from: returnPath !== undefined ? returnPath.replace(/^\s*<|>\s*$/g, '') : null,
      to:
        typeof p.OriginalRecipient === 'string' && p.OriginalRecipient ? [p.OriginalRecipient] : [],
    },
    verdicts,
    extras,
  };
}
