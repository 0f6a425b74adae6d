/**
 * Route regexes under a time bound. JavaScript cannot interrupt a RegExp from outside, but V8
 * can terminate a script run with `vm`'s `timeout` (it checks for interrupts while it
 * backtracks), so every regex test of one message runs as ONE script with one deadline: the
 * watchdog costs ~0.3 ms per message, not per regex. Inputs are cut to 320 characters (an
 * address is never longer) and patterns are short and statically checked
 * (domain/inbound/route.ts): the time bound is the last line of defence, not the first.
 */
import vm from 'node:vm';
import { ROUTE_INPUT_MAX_LENGTH } from '../domain/inbound/route.js';

/** One question: does `source` match any of `inputs`? */
export interface RegexQuestion {
  source: string;
  inputs: readonly string[];
}

export interface RegexAnswers {
  /** In the order asked; all false when the deadline passed. */
  matched: boolean[];
  timedOut: boolean;
}

export const ROUTE_REGEX_TIMEOUT_MS = 50;

const SCRIPT = new vm.Script(
  `questions.map((q) => {
     const re = new RegExp(q.source, 'i');
     return q.inputs.some((s) => re.test(s));
   })`,
);

export function testRegexes(
  questions: readonly RegexQuestion[],
  timeoutMs = ROUTE_REGEX_TIMEOUT_MS,
): RegexAnswers {
  if (questions.length === 0) return { matched: [], timedOut: false };
  const bounded = questions.map((q) => ({
    source: q.source,
    inputs: q.inputs.map((s) => s.slice(0, ROUTE_INPUT_MAX_LENGTH)),
  }));
  const context = vm.createContext({ questions: bounded });
  try {
    const matched = SCRIPT.runInContext(context, { timeout: timeoutMs }) as boolean[];
    return { matched: Array.from(matched, Boolean), timedOut: false };
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
    return { matched: questions.map(() => false), timedOut: true };
  }
}
