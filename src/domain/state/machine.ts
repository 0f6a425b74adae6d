/**
 * The one state-machine API. Each lifecycle (OutboundMessage, InboundEmail, Prompt, Digest) is a
 * transition table: event → the statuses it may start from and the one status it leads to.
 * Storage turns `sources(event)` into `UPDATE … WHERE id = $1 AND status = ANY($from)`, so a
 * concurrent worker loses the race instead of acting twice.
 */
export class TransitionError<S extends string, E extends string> extends Error {
  readonly from: S;
  readonly event: E;
  constructor(machine: string, from: S, event: E) {
    super(`${machine} cannot ${event} from ${from}`);
    this.name = 'TransitionError';
    this.from = from;
    this.event = event;
  }
}

export interface TransitionRule<S extends string> {
  readonly from: readonly S[];
  readonly to: S;
}

export interface StateMachine<S extends string, E extends string> {
  readonly name: string;
  readonly statuses: readonly S[];
  readonly events: readonly E[];
  /** The next status, or a TransitionError when `event` is not allowed from `from`. */
  transition(from: S, event: E): S;
  /** Whether `event` is allowed from `from`. */
  can(from: S, event: E): boolean;
  /** The statuses `event` may start from: the `WHERE status = ANY($from)` guard. */
  sources(event: E): S[];
  /** The status `event` leads to. */
  target(event: E): S;
  isStatus(value: string): value is S;
}

export function defineMachine<S extends string, E extends string>(
  name: string,
  statuses: readonly S[],
  table: Readonly<Record<E, TransitionRule<S>>>,
): StateMachine<S, E> {
  const can = (from: S, event: E) => table[event].from.includes(from);
  return {
    name,
    statuses,
    events: Object.keys(table) as E[],
    can,
    transition(from, event) {
      if (!can(from, event)) throw new TransitionError(name, from, event);
      return table[event].to;
    },
    sources: (event) => [...table[event].from],
    target: (event) => table[event].to,
    isStatus: (value): value is S => (statuses as readonly string[]).includes(value),
  };
}
