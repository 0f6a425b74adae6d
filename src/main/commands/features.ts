/** A command's way to the services of one feature of an open container. */
import type { Container } from '../container.js';
import type { CheckinsFeature } from '../features/checkins.js';
import type { InboundFeature } from '../features/inbound.js';
import type { OutboundFeature } from '../features/outbound.js';

function feature<F>(c: Container, name: string): F {
  const f = c.features.find((x) => x.name === name);
  if (!f) throw new Error(`the ${name} feature is not registered`);
  return f as F;
}

export const outboundOf = (c: Container) => feature<OutboundFeature>(c, 'outbound');
export const inboundOf = (c: Container) => feature<InboundFeature>(c, 'inbound');
export const checkinsOf = (c: Container) => feature<CheckinsFeature>(c, 'checkins');

/** Where a command prints: stdout for results, stderr for errors; tests capture both. */
export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
