/**
 * Which route a message takes: the first enabled route, in priority order, whose every
 * criterion holds. A recipient pattern holds when ANY recipient of the message fits it (envelope
 * recipients, To, Cc, Delivered-To, X-Original-To, X-Forwarded-To), a sender pattern when the
 * From address fits. Regex criteria are answered for the whole list in one time-bounded run
 * (route-regex.ts); a regex that times out counts as no match, and the verdict says so.
 */
import {
  addressMatches,
  textMatches,
  type AddressPattern,
  type InboundRoute,
  type RouteMatch,
} from '../domain/inbound/route.js';
import type { HeaderMap } from '../domain/inbound/headers.js';
import { testRegexes, type RegexQuestion } from './route-regex.js';

/** What routes are matched against: the message as a dry run can describe it too. */
export interface MailFacts {
  recipients: readonly string[];
  sender: string | null;
  subject: string;
  headers: HeaderMap;
}

export interface RouteVerdict<R extends InboundRoute = InboundRoute> {
  route: R | null;
  /** A regex ran out of time; its route was treated as not matching. */
  regexTimedOut: boolean;
}

type Field = 'recipient' | 'sender';

function candidates(facts: MailFacts, field: Field): readonly string[] {
  return field === 'recipient' ? facts.recipients : facts.sender ? [facts.sender] : [];
}

/** The regex questions of every route, so one deadline covers the whole message. */
function regexQuestions(routes: readonly InboundRoute[], facts: MailFacts) {
  const questions: RegexQuestion[] = [];
  const index = new Map<string, number>();
  for (const r of routes) {
    for (const field of ['recipient', 'sender'] as const) {
      const p = r.match[field];
      if (p && typeof p === 'object') {
        index.set(`${r.id}:${field}`, questions.length);
        questions.push({ source: p.regex, inputs: candidates(facts, field) });
      }
    }
  }
  return { questions, index };
}

function patternHolds(
  pattern: AddressPattern | undefined,
  inputs: readonly string[],
  regexAnswer: () => boolean,
): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'object') return regexAnswer();
  return inputs.some((a) => addressMatches(pattern, a));
}

function headersHold(match: RouteMatch, headers: HeaderMap): boolean {
  return (match.headers ?? []).every((h) =>
    (headers.get(h.name.toLowerCase()) ?? []).some((v) => textMatches(h, v)),
  );
}

export function firstMatchingRoute<R extends InboundRoute>(
  routes: readonly R[],
  facts: MailFacts,
  timeoutMs?: number,
): RouteVerdict<R> {
  const live = routes.filter((r) => r.enabled && !r.isDefault);
  const { questions, index } = regexQuestions(live, facts);
  const answers = testRegexes(questions, timeoutMs);
  const answer = (id: string, field: Field) => () =>
    answers.matched[index.get(`${id}:${field}`) ?? -1] === true;
  const route =
    live.find((r) => {
      const m = r.match;
      return (
        patternHolds(m.recipient, facts.recipients, answer(r.id, 'recipient')) &&
        patternHolds(m.sender, candidates(facts, 'sender'), answer(r.id, 'sender')) &&
        (m.subject === undefined || textMatches(m.subject, facts.subject)) &&
        headersHold(m, facts.headers)
      );
    }) ?? null;
  return { route, regexTimedOut: answers.timedOut };
}
