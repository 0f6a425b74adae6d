/**
 * InboundRoute: mail that carries no reply token and answers none of our messages is matched
 * against the routes in priority order; the first match's action decides (Mailgun Routes,
 * Action Mailbox's `routing`). Routes are data, so this module is pure: the shapes, the address
 * pattern grammar, and the static half of the regex safety rules. Evaluating a regex under a
 * time bound is src/inbound/route-regex.ts.
 *
 * Address patterns (recipient and sender):
 *   support@example.com      exactly that address (case-insensitive)
 *   *@example.com            any address at that domain
 *   support+*@example.com    support@ and any support+tag@ at that domain
 *   { "regex": "^t-\\d+@" }  a regular expression (case-insensitive), bounded in length and time
 */

export type AddressPattern = string | { regex: string };

export interface TextMatch {
  equals?: string;
  contains?: string;
}

export interface HeaderMatch extends TextMatch {
  name: string;
}

/** Every criterion given must hold (AND); at least one is required. */
export interface RouteMatch {
  recipient?: AddressPattern;
  sender?: AddressPattern;
  subject?: TextMatch;
  headers?: HeaderMatch[];
}

export type ForwardMode = 'attachment' | 'inline';

export type RouteAction =
  | { type: 'webhook'; endpoint_id: string }
  | { type: 'forward'; to: string[]; mode: ForwardMode }
  | { type: 'store' }
  | { type: 'reject'; subject?: string; message?: string }
  | { type: 'checkins'; team_id: string };

export type RouteActionType = RouteAction['type'];
export const ROUTE_ACTION_TYPES: readonly RouteActionType[] = [
  'webhook',
  'forward',
  'store',
  'reject',
  'checkins',
];

export interface InboundRoute {
  id: string;
  name: string;
  priority: number;
  match: RouteMatch;
  action: RouteAction;
  enabled: boolean;
  /** The action for mail no route matched (at most one). */
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Longest regex source a route may hold; addresses are at most 320 characters anyway. */
export const ROUTE_REGEX_MAX_LENGTH = 200;
export const ROUTE_INPUT_MAX_LENGTH = 320;

export type PatternProblem = { code: string; message: string } | null;

/** A plain pattern's shape: exact, `*@domain` or `local+*@domain`. */
export function checkAddressPattern(pattern: string): PatternProblem {
  const p = pattern.trim().toLowerCase();
  const at = p.lastIndexOf('@');
  const local = p.slice(0, at);
  const domain = p.slice(at + 1);
  const badDomain = !/^[a-z0-9.-]+$/.test(domain) || domain.startsWith('.');
  const badLocal =
    local === '' ||
    /[\s<>"]/.test(local) ||
    (local.includes('*') && local !== '*' && !/^[^*]+\+\*$/.test(local));
  if (at <= 0 || badDomain || badLocal || p.length > ROUTE_INPUT_MAX_LENGTH) {
    return {
      code: 'invalid_pattern',
      message: `"${pattern}" is not an address, *@domain or local+*@domain`,
    };
  }
  return null;
}

/** Whether `address` fits a plain pattern (checked by checkAddressPattern first). */
export function addressMatches(pattern: string, address: string): boolean {
  const p = pattern.trim().toLowerCase();
  const a = address.trim().toLowerCase();
  const at = p.lastIndexOf('@');
  const aAt = a.lastIndexOf('@');
  if (aAt < 0 || a.slice(aAt + 1) !== p.slice(at + 1)) return false;
  const local = p.slice(0, at);
  const aLocal = a.slice(0, aAt);
  if (local === '*') return true;
  if (local.endsWith('+*')) {
    const base = local.slice(0, -2);
    return aLocal === base || aLocal.startsWith(`${base}+`);
  }
  return aLocal === local;
}

export function textMatches(m: TextMatch, value: string): boolean {
  const v = value.toLowerCase();
  if (m.equals !== undefined && v.trim() !== m.equals.toLowerCase().trim()) return false;
  if (m.contains !== undefined && !v.includes(m.contains.toLowerCase())) return false;
  return true;
}

/**
 * The static regex rules: it must compile, be short, and have no construct that backtracks
 * without bound on its own (backreferences, lookbehind, a quantified group that contains a
 * quantifier such as `(a+)+`). The time bound at evaluation catches what this cannot see.
 */
export function checkRouteRegex(source: string): PatternProblem {
  if (source.length === 0 || source.length > ROUTE_REGEX_MAX_LENGTH) {
    return {
      code: 'invalid_regex',
      message: `A regex must be 1 to ${ROUTE_REGEX_MAX_LENGTH} characters`,
    };
  }
  try {
    new RegExp(source, 'i');
  } catch (err) {
    return { code: 'invalid_regex', message: (err as Error).message };
  }
  if (/\\[1-9]|\\k<|\(\?<[=!]/.test(source)) {
    return {
      code: 'unsafe_regex',
      message: 'Backreferences and lookbehind are not allowed in route regexes',
    };
  }
  if (hasNestedQuantifier(source)) {
    return {
      code: 'unsafe_regex',
      message: 'A repeated group may not contain a repetition itself, such as (a+)+',
    };
  }
  return null;
}

const GROUP_REPEAT = /^(?:[*+]|\{\d+,\d*\})/;

/** Scans groups: a group repeated by `*`, `+` or `{n,}` that holds a quantifier is nested. */
function hasNestedQuantifier(source: string): boolean {
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      inClass = c !== ']';
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      if (inner && GROUP_REPEAT.test(source.slice(i + 1))) return true;
      if (inner && stack.length > 0) stack[stack.length - 1] = true;
    } else if (isQuantifier(source, i) && stack.length > 0) {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}

/** `*`, `+`, `{` or a `?` that is not a group modifier such as `(?:`. */
function isQuantifier(source: string, i: number): boolean {
  const c = source[i];
  return c === '*' || c === '+' || c === '{' || (c === '?' && source[i - 1] !== '(');
}
