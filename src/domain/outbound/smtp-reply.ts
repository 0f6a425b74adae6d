/**
 * Classifies what an SMTP server (or the network) said about one delivery attempt.
 *
 * RFC 5321: 2xx accepted, 4xx transient (try later), 5xx permanent. Network errors and timeouts
 * are transient. 550/551/553 about a recipient mean the mailbox does not exist or is not
 * acceptable: that recipient goes on the suppression list. Servers often say how long to wait
 * ("try again in 5 minutes"); we honour it.
 */

export interface SmtpFailure {
  /** SMTP reply code (nodemailer `responseCode`), when the server answered. */
  responseCode?: number | undefined;
  /** The server's full reply text, or an error message. */
  response?: string | undefined;
  /** nodemailer/Node error code: ECONNECTION, ETIMEDOUT, ESOCKET, EENVELOPE, EMESSAGE, … */
  code?: string | undefined;
  /** The SMTP command that failed (RCPT TO, DATA, …). */
  command?: string | undefined;
}

export type SmtpVerdict =
  | {
      kind: 'transient';
      smtpCode: number | null;
      reason: string;
      /** The server's "try again in N", in seconds. */
      retryAfterSeconds: number | null;
    }
  | {
      kind: 'permanent';
      smtpCode: number | null;
      reason: string;
      /** The reply is about the recipient (RCPT TO, or a 5.1.x mailbox status): a bounce. */
      aboutRecipient: boolean;
      /** The recipient is unknown or refused: add a bounce suppression. */
      suppressRecipient: boolean;
    };

const SUPPRESSING_CODES = new Set([550, 551, 553]);

/** Enhanced status codes (RFC 3463) that name the mailbox itself, e.g. 5.1.1 "bad mailbox". */
const MAILBOX_ENHANCED = /\b5\.1\.[0-3]\b/;

/** Errors on our side that would fail the same way on every try: do not loop on them. */
const PERMANENT_LOCAL_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

export function classifySmtpFailure(f: SmtpFailure): SmtpVerdict {
  const text = (f.response ?? '').trim() || f.code || 'unknown error';
  const code = typeof f.responseCode === 'number' && f.responseCode >= 200 ? f.responseCode : null;
  if (code !== null && code >= 500) {
    const aboutRecipient = isAboutRecipient(f, text);
    return {
      kind: 'permanent',
      smtpCode: code,
      reason: text,
      aboutRecipient,
      suppressRecipient: SUPPRESSING_CODES.has(code) && aboutRecipient,
    };
  }
  if (code === null && f.code && PERMANENT_LOCAL_CODES.has(f.code)) {
    return {
      kind: 'permanent',
      smtpCode: null,
      reason: text,
      aboutRecipient: false,
      suppressRecipient: false,
    };
  }
  return {
    kind: 'transient',
    smtpCode: code,
    reason: text,
    retryAfterSeconds: parseRetryAfter(text),
  };
}

function isAboutRecipient(f: SmtpFailure, text: string): boolean {
  // 550 after DATA is usually content (spam, policy), not a missing mailbox.
  const cmd = (f.command ?? '').toUpperCase();
  if (cmd.startsWith('RCPT')) return true;
  if (cmd === 'DATA' || cmd.startsWith('MAIL')) return MAILBOX_ENHANCED.test(text);
  return MAILBOX_ENHANCED.test(text) || /mailbox|user unknown|no such user|recipient/i.test(text);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "try again in 5 minutes", "retry after 30 seconds", "try again later in 2h" → seconds. */
export function parseRetryAfter(text: string): number | null {
  const m =
    /\b(?:try|retry)(?:\s+again)?(?:\s+later)?\s+(?:in|after)\s+(\d{1,6})\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b/i.exec(
      text,
    );
  if (!m) return null;
  const unit = m[2]!.toLowerCase()[0]!;
  return Number(m[1]) * (UNIT_SECONDS[unit] ?? 1);
}

/** What one reply means for one recipient of the transaction. */
export type RecipientReply =
  | { outcome: 'accepted'; smtpCode: number | null; reply: string }
  | {
      outcome: 'deferred';
      smtpCode: number | null;
      reply: string;
      retryAfterSeconds: number | null;
    }
  | { outcome: 'bounced'; smtpCode: number | null; reply: string; suppress: boolean }
  | { outcome: 'failed'; smtpCode: number | null; reply: string };

/**
 * A failure as it lands on a recipient: 4xx and network errors defer it, a 5xx about the
 * recipient bounces it (a 550/551/553 also puts it on the suppression list), any other
 * permanent reply (a content rejection after DATA, a refused sender) fails it.
 */
export function recipientReply(f: SmtpFailure): RecipientReply {
  const v = classifySmtpFailure(f);
  const reply = (f.response ?? '').trim() || v.reason;
  if (v.kind === 'transient')
    return {
      outcome: 'deferred',
      smtpCode: v.smtpCode,
      reply,
      retryAfterSeconds: v.retryAfterSeconds,
    };
  if (v.aboutRecipient)
    return { outcome: 'bounced', smtpCode: v.smtpCode, reply, suppress: v.suppressRecipient };
  return { outcome: 'failed', smtpCode: v.smtpCode, reply };
}

/** Failures to reach the server at all: nothing was handed over. */
const UNREACHED = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNABORTED/;

/**
 * Whether the server may have the message although the client saw a failure: the connection
 * closed, reset or timed out without a reply (it may have come after the final "." of DATA).
 * A retry then may deliver it twice, so it is flagged `possibly_duplicate`. A reply code, or a
 * connection that never opened, means it was not handed over.
 */
export function mayHaveArrived(f: SmtpFailure): boolean {
  if (typeof f.responseCode === 'number' && f.responseCode >= 200) return false;
  if (!['ECONNECTION', 'ETIMEDOUT', 'ESOCKET'].includes(f.code ?? '')) return false;
  return !UNREACHED.test(f.response ?? '');
}
