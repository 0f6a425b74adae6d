/**
 * The member page, reached by a signed, expiring link (no session): add or edit one's own
 * entries for a date without email, and manage unsubscribes. The token in the path is the
 * only credential, so every call is scoped to the member id it carries; the check-in services
 * behind MemberPort do the writes (their repositories are the tables' one writer).
 */
import type { Request, Response, RequestHandler } from 'express';
import type { UnsubscribeKind } from '../../../services/checkins/ports.js';
import { GoneError } from '../errors.js';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { MemberPort } from '../services.js';
import { isIsoDate } from '../view-models/format.js';

const KINDS: readonly UnsubscribeKind[] = ['prompt', 'reminder', 'digest'];
const KIND_LABELS: Record<string, string> = {
  prompt: 'the daily question',
  reminder: 'reminders',
  digest: 'the team digest',
};

declare module 'express-serve-static-core' {
  interface Locals {
    memberId?: string;
  }
}

export function localDate(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export function entryLine(e: { kind: string; text: string; completed: boolean }): string {
  if (e.kind === 'goal') return `${e.completed ? '[x]' : '[]'} ${e.text}`;
  if (e.kind === 'blocker') return `! ${e.text}`;
  return e.text;
}

interface MemberPageDeps {
  kit: PageDeps['kit'];
  clock: PageDeps['clock'];
  member: MemberPort;
}

type Handler = (d: MemberPageDeps, req: Request, res: Response) => Promise<void>;

/** Accepts the signed link in the path and puts its member id in res.locals. */
function verified(d: MemberPageDeps): RequestHandler {
  return (req, res, next) => {
    const token = String(req.params.token ?? '');
    const r =
      token.length < 400
        ? d.member.verify(token, d.clock.now())
        : { ok: false as const, reason: 'malformed' };
    if (!r.ok) {
      next(
        new GoneError(
          'member_link_invalid',
          r.reason === 'expired'
            ? 'This link has expired; use the link in your latest check-in mail.'
            : 'This link is not valid.',
        ),
      );
      return;
    }
    res.locals.memberId = r.memberId;
    next();
  };
}

const base = (req: Request) => `/m/${encodeURIComponent(String(req.params.token))}`;

function dayFrom(v: unknown): string {
  if (!isIsoDate(v)) throw new ValidationError('Pick a valid date', undefined, 'invalid_date');
  return v;
}

/** The page for one date (today in the member's zone by default). */
const show: Handler = async ({ kit, clock, member }, req, res) => {
  const m = await member.find(res.locals.memberId!);
  if (!m) throw new NotFoundError('member_not_found', 'This member no longer exists');
  const today = localDate(clock.now(), m.timeZone);
  const day = isIsoDate(req.query.date) ? req.query.date : today;
  const [entries, unsubscribed] = await Promise.all([
    member.entries(m.id, day),
    member.unsubscriptions(m.id),
  ]);
  kit.render(
    req,
    res,
    'member',
    { title: `${m.name} · ${day}`, nav: null },
    {
      m,
      day,
      today,
      base: base(req),
      entries: entries.map((e) => ({ ...e, line: entryLine(e) })),
      subscriptions: KINDS.map((k) => ({
        kind: k,
        label: KIND_LABELS[k],
        unsubscribed: unsubscribed.includes(k),
      })),
    },
  );
};

/** New lines for a date, in the reply grammar. */
const addEntries: Handler = async ({ kit, member }, req, res) => {
  const day = dayFrom(req.body.date);
  const items = member.parseEntries(str(req.body.lines).slice(0, 20_000));
  const added = items.length > 0 ? await member.add(res.locals.memberId!, day, items) : 0;
  kit.redirectWith(
    res,
    `${base(req)}?date=${day}`,
    added === 1 ? 'Entry added.' : `${added} entries added.`,
  );
};

/** Saves one edited line, or deletes the entry. */
const editEntry: Handler = async ({ kit, member }, req, res) => {
  const day = dayFrom(req.body.date);
  const entryId = String(req.params.entryId);
  if (!isUuid(entryId)) throw new NotFoundError('entry_not_found', 'No such entry');
  if (req.body.action === 'delete') {
    if (!(await member.remove(res.locals.memberId!, entryId)))
      throw new NotFoundError('entry_not_found', 'No such entry');
    return kit.redirectWith(res, `${base(req)}?date=${day}`, 'Entry deleted.');
  }
  const [item] = member.parseEntries(str(req.body.line).slice(0, 2000));
  if (!item)
    throw new ValidationError(
      'An entry cannot be empty; use Delete to remove it',
      undefined,
      'empty_entry',
    );
  if (!(await member.update(res.locals.memberId!, entryId, item))) {
    throw new NotFoundError('entry_not_found', 'No such entry');
  }
  kit.redirectWith(res, `${base(req)}?date=${day}`, 'Entry saved.');
};

/** One kind of mail on or off. */
const setSubscription: Handler = async ({ kit, member }, req, res) => {
  const kind = KINDS.find((k) => k === str(req.body.kind));
  if (!kind) throw new ValidationError('Unknown mail kind', undefined, 'invalid_kind');
  const off = req.body.action === 'unsubscribe';
  await member.setUnsubscribed(res.locals.memberId!, kind, off);
  kit.redirectWith(
    res,
    base(req),
    off ? `Unsubscribed from ${KIND_LABELS[kind]}.` : `Subscribed to ${KIND_LABELS[kind]} again.`,
  );
};

export function registerMemberPage(t: RouteTable, deps: PageDeps, member: MemberPort): void {
  const d: MemberPageDeps = { kit: deps.kit, clock: deps.clock, member };
  const bound =
    (h: Handler): RequestHandler =>
    (req, res) =>
      h(d, req, res);
  const link = verified(d);
  t.get('/m/:token', 'member', link, bound(show));
  t.post('/m/:token/entries', 'member', 'form', link, bound(addEntries));
  t.post('/m/:token/entries/:entryId', 'member', 'form', link, bound(editEntry));
  t.post('/m/:token/subscriptions', 'member', 'form', link, bound(setSubscription));
}
