/**
 * The fault suite's SMTP server, in its own process (test/support/smtp-sink.ts with faults
 * drawn at random). argv[2] is JSON:
 *   delay: [min, max] ms before the reply to each message's final "." (a slow server)
 *   rcpt4xx / data4xx: chance of a 451 at RCPT TO (per recipient) or after DATA (per message)
 *   drop: chance per message of a dropped connection: at RCPT, in the middle of DATA, or after
 *     the server kept the message but before its reply (the ambiguous case), a third each;
 *     the last also counts the recipients it kept (each may then get a second copy)
 *   hard: recipients matching this regex always get 550 5.1.1 (bad mailboxes)
 * It prints its port, then answers "dump" on stdin with one JSON line: every message it kept
 * (Message-ID, the recipients it accepted, when) and how many faults of each kind it injected.
 */
import { startSmtpSink, type FaultAction, type Stage } from '../../test/support/smtp-sink.js';

interface SinkOptions {
  delay?: [number, number];
  rcpt4xx?: number;
  data4xx?: number;
  drop?: number;
  hard?: string;
}

const o = JSON.parse(process.argv[2] ?? '{}') as SinkOptions;
const hard = o.hard ? new RegExp(o.hard) : null;
const injected: Record<string, number> = {};
const chance = (p: number | undefined) => (p ?? 0) > 0 && Math.random() < p!;
const count = (kind: string, f: FaultAction): FaultAction => {
  injected[kind] = (injected[kind] ?? 0) + 1;
  return f;
};

/** One decision per message (per session, at MAIL FROM): where, if at all, it drops. */
const dropAt = new Map<string, 'rcpt' | 'data' | 'after_data' | null>();
/** Recipients accepted so far in the session's transaction: a drop after DATA leaves each of
 * them with a copy the sender does not know about. */
const taken = new Map<string, number>();
const PLACES = ['rcpt', 'data', 'after_data'] as const;

function decide(
  stage: Stage,
  address: string | undefined,
  session: string,
): FaultAction | undefined {
  if (stage === 'mail') {
    dropAt.set(session, chance(o.drop) ? PLACES[Math.floor(Math.random() * 3)]! : null);
    taken.set(session, 0);
    return undefined;
  }
  const drop = dropAt.get(session);
  if (stage === 'rcpt') {
    if (hard && address && hard.test(address))
      return count('550 at RCPT', { kind: 'code', code: 550, message: '5.1.1 No such user' });
    if (drop === 'rcpt') return count('drop at RCPT', { kind: 'drop' });
    if (chance(o.rcpt4xx))
      return count('451 at RCPT', {
        kind: 'code',
        code: 451,
        message: '4.2.1 Mailbox busy, try later',
      });
    taken.set(session, (taken.get(session) ?? 0) + 1);
    return undefined;
  }
  dropAt.delete(session);
  const recipients = taken.get(session) ?? 0;
  taken.delete(session);
  if (drop === 'data') return count('drop in DATA', { kind: 'drop' });
  if (drop === 'after_data') {
    injected['recipients kept before a drop'] =
      (injected['recipients kept before a drop'] ?? 0) + recipients;
    return count('drop after DATA', { kind: 'drop_after_data' });
  }
  if (chance(o.data4xx))
    return count('451 after DATA', {
      kind: 'code',
      code: 451,
      message: '4.3.0 Queue full, try later',
    });
  return undefined;
}

const [min, max] = o.delay ?? [0, 0];
const sink = await startSmtpSink({
  decide,
  ...(max > 0 ? { dataDelayMs: () => min + Math.random() * (max - min) } : {}),
});
process.stdout.write(`${sink.port}\n`);

function messageId(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1');
  return /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1] ?? '';
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  for (const line of d.split('\n')) {
    if (line.trim() !== 'dump') continue;
    const deliveries = sink.messages.map((m) => [messageId(m.raw), m.to, m.receivedAt] as const);
    process.stdout.write(`${JSON.stringify({ deliveries, injected })}\n`);
  }
});
process.stdin.on('end', () => void sink.close().then(() => process.exit(0)));
