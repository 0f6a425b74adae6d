/**
 * A state machine as data: event → (from status → to status). Storage turns `fromStatuses`
 * into `UPDATE … WHERE id = $1 AND status = ANY($from)`, so a concurrent worker loses the race.
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

export interface StateMachine<S extends string, E extends string> {
  /** The next status, or a TransitionError when `event` is not allowed from `from`. */
  transition(from: S, event: E): S;
  /** The statuses `event` may start from. */
  fromStatuses(event: E): S[];
}

export function defineMachine<S extends string, E extends string>(
  name: string,
  table: Record<E, Partial<Record<S, S>>>,
): StateMachine<S, E> {
  return {
    transition(from, event) {
      const to = table[event][from];
      if (!to) throw new TransitionError(name, from, event);
      return to;
    },
    fromStatuses: (event) => Object.keys(table[event]) as S[],
  };
}
