/**
 * Email commands: a reply whose whole text is one command acts on the member's settings
 * instead of becoming entries. Anything else (including a command followed by more text) is
 * not a command, so a done like "resume writing" is never swallowed.
 */
import { isLocalDate } from '../schedule/local-time.js';

export type EmailCommand =
  | { kind: 'pause'; until: string }
  | { kind: 'vacation'; start: string; end: string }
  | { kind: 'unsubscribe' }
  | { kind: 'resume' };

export type CommandParse =
  | { ok: true; command: EmailCommand }
  | { ok: false; reason: 'not_a_command' }
  | { ok: false; reason: 'invalid'; message: string };

const DATE = '(\\d{4}-\\d{2}-\\d{2})';
const PAUSE = new RegExp(`^pause\\s+until\\s+${DATE}$`, 'i');
const VACATION = new RegExp(`^vacation\\s+${DATE}\\s+(?:to|-|–|until)\\s+${DATE}$`, 'i');

export function parseEmailCommand(text: string, today?: string): CommandParse {
  const body = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (body.length !== 1) return { ok: false, reason: 'not_a_command' };
  const line = body[0]!.replace(/[.!]+$/, '').replace(/\s+/g, ' ');
  if (/^unsubscribe$/i.test(line)) return { ok: true, command: { kind: 'unsubscribe' } };
  if (/^resume$/i.test(line)) return { ok: true, command: { kind: 'resume' } };
  const p = PAUSE.exec(line);
  if (p) {
    const until = p[1]!;
    if (!isLocalDate(until)) return invalid(`${until} is not a date`);
    if (today && until <= today)
      return invalid(`pause until ${until}: the date must be in the future`);
    return { ok: true, command: { kind: 'pause', until } };
  }
  const v = VACATION.exec(line);
  if (v) {
    const [start, end] = [v[1]!, v[2]!];
    if (!isLocalDate(start) || !isLocalDate(end))
      return invalid('vacation dates must be real dates');
    if (end < start) return invalid(`vacation ${start} to ${end}: the end is before the start`);
    return { ok: true, command: { kind: 'vacation', start, end } };
  }
  return { ok: false, reason: 'not_a_command' };
}

function invalid(message: string): CommandParse {
  return { ok: false, reason: 'invalid', message };
}
