/**
 * Runs a Postroom process (web, worker, or both) until a signal, then shuts down in order:
 * stop accepting HTTP, drain in-flight requests, drain in-flight jobs (bounded by
 * SHUTDOWN_TIMEOUT_MS), close features and the pool, and stop an embedded PostgreSQL last.
 */
import type { Server } from 'node:http';
import type { Config } from '../config/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createContainer, type Container, type ContainerOptions, type Roles } from './container.js';

export interface RunningProcess {
  container: Container;
  server: Server | undefined;
  /** The port actually bound (PORT=0 picks one). */
  port: number | undefined;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

function listen(container: Container): Promise<Server> {
  const { port, host } = container.config.http;
  return new Promise((resolve, reject) => {
    const server = container.app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new PortInUseError(`Port ${port} is already in use (set PORT to another one)`)
          : err,
      );
    });
  });
}

function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function startProcess(
  config: Readonly<Config>,
  roles: Roles,
  log: Logger,
  clock?: Clock,
  adapters?: ContainerOptions['inboundAdapters'],
): Promise<RunningProcess> {
  const container = await createContainer(config, {
    roles,
    log,
    ...(clock ? { clock } : {}),
    ...(adapters ? { inboundAdapters: adapters } : {}),
  });
  let server: Server | undefined;
  try {
    await container.start();
    if (roles.web) server = await listen(container);
    if (roles.worker && config.workerSelfTest) {
      await container.queue.send('system.ping', { note: 'worker start-up self test' });
    }
  } catch (err) {
    await container.stop();
    throw err;
  }
  const address = server?.address();
  const port = typeof address === 'object' && address ? address.port : undefined;
  let stopping: Promise<void> | undefined;
  return {
    container,
    server,
    port,
    stop() {
      stopping ??= (async () => {
        if (server) await closeServer(server, Math.min(config.shutdownTimeoutMs, 5000));
        await container.stop();
      })();
      return stopping;
    },
  };
}
