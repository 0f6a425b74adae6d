/**
 * A bench's helper in a process of its own, so that it does not share an event loop with what
 * is measured: an SMTP sink, or the API client that feeds Postroom. The script prints one line
 * when it is ready (the sink: its port); `ask(line)` writes a command on its stdin and resolves
 * with the next line it prints, or `exited <code>` once the process has ended.
 */
import { spawn } from 'node:child_process';

export interface LineProcess {
  /** The line the script printed when it was ready. */
  ready: string;
  ask(line: string): Promise<string>;
  stop(): void;
}

export interface SinkProcess extends LineProcess {
  url: string;
  port: number;
}

export async function startLineProcess(script: string, args: string[] = []): Promise<LineProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let partial = '';
  let wake: (() => void) | null = null;
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
    wake?.();
  });
  // A helper that dies (out of memory, say) answers with this line, so the bench fails instead
  // of waiting for a line that never comes.
  proc.once('exit', (code, signal) => {
    lines.push(`exited ${signal ?? code}`);
    wake?.();
  });
  const next = async () => {
    while (lines.length === 0) await new Promise<void>((r) => (wake = r));
    return lines.shift()!;
  };
  return {
    ready: await next(),
    async ask(line) {
      proc.stdin.write(`${line}\n`);
      return next();
    },
    stop: () => proc.stdin.end(),
  };
}

export async function startSinkProcess(script: string, args: string[] = []): Promise<SinkProcess> {
  const child = await startLineProcess(script, args);
  const port = Number(child.ready);
  if (!Number.isInteger(port)) throw new Error(`the sink did not start: ${child.ready}`);
  return { ...child, url: `smtp://127.0.0.1:${port}`, port };
}
