/**
 * What the job page shows of a job: its payload with secrets redacted, the objects it names
 * (message, inbound email, prompt, digest) and its last error with the stack's first lines.
 * Pure functions over the JSON pg-boss stores.
 */

const SECRET_KEY =
  /secret|token|passw|authori[sz]ation|^auth$|signature|api[_-]?key|private|cookie|credential/i;
const SECRET_PARAM = /([?&](?:token|signature|sig|key|secret|x-amz-[a-z-]+)=)[^&#\s]+/gi;
export const REDACTED = '[redacted]';

/** A copy of `value` with secret-looking keys and URL parameters replaced by `[redacted]`. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (typeof value === 'string') return value.replace(SECRET_PARAM, `$1${REDACTED}`);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) ? REDACTED : redactSecrets(v, depth + 1),
      ]),
    );
  }
  return value;
}

export type LinkedKind = 'message' | 'inbound_email' | 'prompt' | 'digest';

export interface LinkedRef {
  kind: LinkedKind;
  id: string;
}

/** Payload fields that name one of our objects, by the queues' payload schemas. */
const FIELDS: Record<string, LinkedKind> = {
  ids: 'message',
  inboundEmailId: 'inbound_email',
  prompt_ids: 'prompt',
  digest_id: 'digest',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The objects a payload names, at most `limit` (a batch of 1,000 ids is listed in part). */
export function linkedRefs(data: unknown, limit = 20): LinkedRef[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const out: LinkedRef[] = [];
  for (const [field, kind] of Object.entries(FIELDS)) {
    const v = (data as Record<string, unknown>)[field];
    const ids = Array.isArray(v) ? v : [v];
    for (const id of ids) {
      if (typeof id === 'string' && UUID.test(id) && out.length < limit) out.push({ kind, id });
    }
  }
  return out;
}

export interface JobError {
  message: string;
  /** The stack's first lines, when the error carried one. */
  stack: string[];
}

/** The last error a job recorded in its output, if it failed with one. */
export function jobError(output: unknown, stackLines = 6): JobError | null {
  if (!output || typeof output !== 'object') return null;
  const o = output as Record<string, unknown>;
  const message =
    typeof o.error === 'string' ? o.error : typeof o.message === 'string' ? o.message : null;
  if (message === null) return null;
  const stack =
    typeof o.stack === 'string'
      ? o.stack
          .split('\n')
          .map((l) => l.trimEnd())
          .filter((l) => l.trim() !== '')
          .slice(0, stackLines)
      : [];
  return { message, stack };
}
