/**
 * A real SMTP server (the smtp-server package) on an ephemeral port, for tests that send mail
 * over the wire. It records every accepted message with its receive time, and can be told to
 * answer a chosen code or to drop the connection at a chosen stage.
 */
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** Date.now() when the final "." arrived. */
  receivedAt: number;
}

export type Stage = 'mail' | 'rcpt' | 'data';

/**
 * What the sink does instead of answering 250: a reply code, a dropped connection, or (data only)
 * `drop_after_data`: keep the message, then drop the connection without a reply, so the client
 * cannot know the server has it (the ambiguous case).
 */
export interface FaultAction {
  kind: 'code' | 'drop' | 'drop_after_data';
  code?: number;
  message?: string;
}

interface Fault extends FaultAction {
  stage: Stage;
  code?: number;
  message?: string;
  remaining: number;
  /** Only for recipients matching this (rcpt stage). */
  match?: RegExp;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Resolves once at least `count` messages arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** The next `times` attempts at `stage` get `code message` (e.g. 451 then success). */
  failNext(code: number, message: string, times?: number, stage?: Stage): void;
  /** Answer `code` to RCPT for addresses matching `match` (always, or the next `times`). */
  rejectRecipients(match: RegExp, code: number, message: string, times?: number): void;
  /** Drops the TCP connection at `stage` (for 'data', after part of the body was read). */
  dropNext(stage: Stage, times?: number): void;
  /** Keeps the next `times` messages, then drops the connection instead of answering 250. */
  dropAfterData(times?: number): void;
  clear(): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Discard bodies (benchmarks): count only. */
  discard?: boolean;
  /** Delay before each reply, in ms (a far-away relay). */
  delayMs?: number;
  /** Delay before the reply to the end of DATA, drawn per message (a slow server). */
  dataDelayMs?: () => number;
  /** Decides a fault for each command when none is queued (random faults, bad mailboxes). */
  decide?: (stage: Stage, address: string | undefined, session: string) => FaultAction | undefined;
}

type SmtpError = Error & { responseCode?: number };

function smtpError(code: number, message: string): SmtpError {
  const err: SmtpError = new Error(message);
  err.responseCode = code;
  return err;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const faults: Fault[] = [];
  let waiters: Array<{ count: number; resolve: (m: ReceivedMail[]) => void }> = [];
  // Assigned below; the callbacks that read it run only after listen().
  let server: SMTPServer | undefined = undefined;

  const takeFault = (stage: Stage, session: string, address?: string): FaultAction | undefined => {
    const i = faults.findIndex(
      (f) =>
        f.stage === stage &&
        f.remaining > 0 &&
        (!f.match || (address !== undefined && f.match.test(address))),
    );
    if (i < 0) return options.decide?.(stage, address, session);
    const fault = faults[i]!;
    if (fault.remaining !== Infinity) fault.remaining -= 1;
    return fault;
  };

  const dropConnection = (session: SMTPServerSession) => {
    const connections = (
      server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
    ).connections;
    for (const c of connections) if (c.id === session.id) c._socket.destroy();
  };

  const later = (fn: () => void) => (options.delayMs ? setTimeout(fn, options.delayMs) : fn());

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 50 * 1024 * 1024,
    onMailFrom(_address, session, cb) {
      const fault = takeFault('mail', session.id);
      if (fault?.kind === 'drop') return dropConnection(session);
      later(() => cb(fault ? smtpError(fault.code!, fault.message!) : undefined));
    },
    onRcptTo(address, session, cb) {
      const fault = takeFault('rcpt', session.id, address.address);
      if (fault?.kind === 'drop') return dropConnection(session);
      later(() => cb(fault ? smtpError(fault.code!, fault.message!) : undefined));
    },
    onData(stream, session, cb) {
      const fault = takeFault('data', session.id);
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (chunk: Buffer) => {
        if (fault?.kind === 'drop' && !dropped) {
          dropped = true;
          dropConnection(session);
          return;
        }
        if (!options.discard) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (dropped) return;
        if (fault?.kind === 'code') return later(() => cb(smtpError(fault.code!, fault.message!)));
        const reply = () => (fault?.kind === 'drop_after_data' ? dropConnection(session) : cb());
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          receivedAt: Date.now(),
        };
        messages.push(mail);
        waiters = waiters.filter((w) => {
          if (messages.length >= w.count) {
            w.resolve(messages.slice());
            return false;
          }
          return true;
        });
        const wait = options.dataDelayMs?.() ?? 0;
        later(() => (wait > 0 ? setTimeout(reply, wait) : reply()));
      });
    },
  });
  server = smtp;
  smtp.on('error', () => {});

  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const address = smtp.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(count, timeoutMs = 10000) {
      if (messages.length >= count) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        const waiter = { count, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(
            new Error(
              `SMTP sink: expected ${count} messages, got ${messages.length} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs).unref();
      });
    },
    failNext(code, message, times = 1, stage = 'data') {
      faults.push({ stage, kind: 'code', code, message, remaining: times });
    },
    rejectRecipients(match, code, message, times = Infinity) {
      faults.push({ stage: 'rcpt', kind: 'code', code, message, remaining: times, match });
    },
    dropAfterData(times = 1) {
      faults.push({ stage: 'data', kind: 'drop_after_data', remaining: times });
    },
    dropNext(stage, times = 1) {
      faults.push({ stage, kind: 'drop', remaining: times });
    },
    clear() {
      messages.length = 0;
      faults.length = 0;
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
