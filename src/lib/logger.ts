import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export interface LoggerOptions {
  level: string;
  /** Human-readable lines (pino-pretty) instead of JSON, for a terminal. */
  pretty: boolean;
  /** 1 = stdout (servers), 2 = stderr (CLI commands whose stdout is their output). */
  fd?: 1 | 2;
}

export function createLogger(options: LoggerOptions): Logger {
  const fd = options.fd ?? 1;
  const base = {
    level: options.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: {
              colorize: true,
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'pid,hostname',
              destination: fd,
            },
          },
        }
      : {}),
  };
  return options.pretty ? pino(base) : pino(base, pino.destination({ fd, sync: true }));
}

/** A logger that drops everything, for tests and library callers that pass none. */
export const silentLogger: Logger = pino({ level: 'silent' });
