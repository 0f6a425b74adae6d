/**
 * Recognises machine-generated mail so it is never treated as a person's reply and never
 * answered (auto-reply loops: griddler#234, chatwoot#5131, gitlab-foss#64933).
 *
 * Bounces win over auto-replies: a DSN is fed to the delivery-event pipeline, an out-of-office
 * reply is simply dropped. The signals are the union of RFC 3834 (GitLab) and Discourse's
 * heuristics; each returned signal names the rule that fired, for the inbound record.
 */
import { bareAddress, firstHeader, type HeaderMap } from './headers.js';

export type MailClass = 'bounce' | 'auto_reply' | 'normal';

export interface ClassifyInput {
  headers: HeaderMap;
  /** Top-level Content-Type value, parameters included. */
  contentType?: string;
  subject?: string;
  /** Envelope sender when the provider gives one (`''` is the null sender). */
  envelopeFrom?: string | null;
}

export interface Classification {
  kind: MailClass;
  signals: string[];
}

const PRECEDENCE_AUTO = new Set(['bulk', 'junk', 'list', 'auto_reply']);
const DAEMON_LOCAL = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

// Prefixes used by common clients for automatic replies, in the languages our users write in.
// Matched at the start of the subject after any "Re:"/"AW:" noise.
const OOO_SUBJECTS = [
  'auto:',
  'automatic reply',
  'auto reply',
  'auto-reply',
  'autoreply',
  'auto response',
  'auto-response',
  'autoresponse',
  'out of office',
  'out of the office',
  'ooo:',
  'away from the office',
  'on vacation',
  'vacation reply',
  'abwesenheitsnotiz',
  'automatische antwort',
  'abwesend',
  'réponse automatique',
  'reponse automatique',
  "message d'absence",
  'absence du bureau',
  'respuesta automática',
  'respuesta automatica',
  'fuera de la oficina',
  'risposta automatica',
  'fuori ufficio',
  'resposta automática',
  'resposta automatica',
  'ausente do escritório',
  'automatisch antwoord',
  'afwezig',
  'autosvar',
  'automatiskt svar',
  'frånvaro',
  'automaattinen vastaus',
  'poza biurem',
  'automatyczna odpowiedź',
  'automatická odpověď',
  'автоответ',
  'автоматический ответ',
  '自動応答',
  '自動返信',
  '不在',
  '自动回复',
  '自動回覆',
  '자동 응답',
];

export function classifyMail(input: ClassifyInput): Classification {
  const bounce = bounceSignals(input);
  if (bounce.length > 0) return { kind: 'bounce', signals: bounce };
  const auto = autoReplySignals(input);
  if (auto.length > 0) return { kind: 'auto_reply', signals: auto };
  // RFC 3834 §3.3: responders send from the null sender too, so a null Return-Path without any
  // other signal is still machine mail; treat it as a bounce (it must never be answered).
  if (isNullSender(input)) return { kind: 'bounce', signals: ['null_return_path'] };
  return { kind: 'normal', signals: [] };
}

function bounceSignals(input: ClassifyInput): string[] {
  const signals: string[] = [];
  const ct = (input.contentType ?? firstHeader(input.headers, 'content-type') ?? '').toLowerCase();
  if (/^\s*multipart\/report\b/.test(ct) && /report-type\s*=\s*"?delivery-status/.test(ct)) {
    signals.push('multipart_report_delivery_status');
  }
  const from = bareAddress(firstHeader(input.headers, 'from'));
  const local = from?.split('@')[0] ?? '';
  if (DAEMON_LOCAL.test(local)) signals.push('daemon_from');
  return signals;
}

function autoReplySignals(input: ClassifyInput): string[] {
  const h = input.headers;
  const signals: string[] = [];
  const autoSubmitted = firstHeader(h, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) signals.push('auto_submitted');
  const xAutoreply = firstHeader(h, 'x-autoreply');
  if (xAutoreply !== undefined && !/^\s*no\b/i.test(xAutoreply)) signals.push('x_autoreply');
  if (h.has('x-autorespond')) signals.push('x_autorespond');
  const precedence = firstHeader(h, 'precedence')?.trim().toLowerCase();
  if (precedence && PRECEDENCE_AUTO.has(precedence)) signals.push('precedence');
  if (h.has('x-auto-response-suppress')) signals.push('x_auto_response_suppress');
  const subject = input.subject ?? firstHeader(h, 'subject') ?? '';
  if (isOutOfOfficeSubject(subject)) signals.push('ooo_subject');
  return signals;
}

export function isOutOfOfficeSubject(subject: string): boolean {
  const s = subject
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/^((re|aw|sv|fw|fwd|wg|antw|r)\s*:\s*)+/i, '');
  return OOO_SUBJECTS.some((p) => s.startsWith(p));
}

/** The null reverse-path `<>`, from the provider's envelope or the Return-Path header. */
export function isNullSender(input: ClassifyInput): boolean {
  if (input.envelopeFrom === '' || input.envelopeFrom === '<>') return true;
  const rp = firstHeader(input.headers, 'return-path');
  return rp !== undefined && /^\s*<\s*>\s*$/.test(rp);
}
