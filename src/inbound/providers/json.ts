/**
 * Reading providers' JSON payloads defensively: a field of the wrong type reads as absent
 * instead of throwing, because an event kind or field we do not track must map to nothing
 * rather than to an error (the provider would retry it forever).
 */
import { BadRequestError } from '../../lib/errors.js';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../../lib/safe-text.js';
import { normalizeMessageId } from '../../domain/inbound/dsn.js';

export type Json = Record<string, unknown>;

/** A provider's JSON body; nesting past MAX_JSON_DEPTH is refused (400 `json_too_deep`). */
export function parseJsonBody(body: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('malformed_json', 'Request body is not valid JSON');
  }
  if (jsonTooDeep(value)) {
    throw new BadRequestError(
      'json_too_deep',
      `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`,
      { max_depth: MAX_JSON_DEPTH },
    );
  }
  return value;
}

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

export const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};

export const lower = (v: unknown): string | undefined => str(v)?.toLowerCase();

/** A Message-ID as we store it: without angle brackets. */
export const msgId = (v: unknown): string | undefined => {
  const s = str(v);
  return s ? normalizeMessageId(s) : undefined;
};

/** Unix seconds, as a number or a numeric string. */
export const fromEpoch = (v: unknown, fallback: Date): Date => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? new Date(n * 1000) : fallback;
};

export const fromIso = (v: unknown, fallback: Date): Date => {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
};
