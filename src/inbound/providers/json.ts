/**
 * Reading providers' JSON payloads defensively: a field of the wrong type reads as absent
 * instead of throwing, because an event kind or field we do not track must map to nothing
 * rather than to an error (the provider would retry it forever).
 */
import { BadRequestError } from '../../lib/errors.js';
import { normalizeMessageId } from '../../domain/inbound/dsn.js';

export type Json = Record<string, unknown>;

export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('malformed_json', 'Request body is not valid JSON');
  }
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
