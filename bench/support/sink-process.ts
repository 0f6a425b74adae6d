/**
 * An SMTP sink in its own process, so it does not share an event loop with the sender being
 * measured. The script prints its port first; `ask(line)` writes a command on its stdin and
 * resolves with the next line it prints.
 */
import { spawn } from 'node:child_process';

export interface SinkProcess {
  url: string;
  port: number;
  ask(line: string): Promise<string>;
  stop(): void;
}

export async function startSinkProcess(script: string, args: string[] = []): Promise<SinkProcess> {
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
  const next = async () => {
    while (lines.length === 0) await new Promise<void>((r) => (wake = r));
    return lines.shift()!;
  };
  const port = Number(await next());
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    async ask(line) {
      proc.stdin.write(`${line}\n`);
      return next();
    },
    stop: () => proc.stdin.end(),
  };
}
