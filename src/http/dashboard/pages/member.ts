/**
 * The member page, reached by a signed, expiring link (no session): add or edit one's own
 * entries for a date without email, and manage unsubscribes. The token in the path is the
 * only credential, so every query is scoped to the member id it carries.
 */
import type { Request, Response, RequestHandler } from 'express';
import { GoneError } from '../errors.js';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { MemberPort } from '../services.js';
import { isIsoDate } from '../view-models/format.js';

const KINDS = ['prompt', 'reminder', 'digest'] as const;
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

export function registerMemberPage(t: RouteTable, deps: PageDeps, member: MemberPort): void {
  const { kit, clock } = deps;

  const verified: RequestHandler = (req, res, next) => {
    const token = String(req.params.token ?? '');
    const r =
      token.length < 400
        ? member.verify(token, clock.now())
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

  const base = (req: Request) => `/m/${encodeURIComponent(String(req.params.token))}`;

  const show = async (req: Request, res: Response, date: string | null) => {
    const m = await member.find(res.locals.memberId!);
    if (!m) throw new NotFoundError('member_not_found', 'This member no longer exists');
    const today = localDate(clock.now(), m.timeZone);
    const day = date ?? today;
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

  const dayFrom = (v: unknown): string => {
    if (!isIsoDate(v)) throw new ValidationError('Pick a valid date', undefined, 'invalid_date');
    return v;
  };

  t.get('/m/:token', 'member', verified, async (req, res) => {
    await show(req, res, isIsoDate(req.query.date) ? req.query.date : null);
  });

  t.post('/m/:token/entries', 'member', 'form', verified, async (req, res) => {
    const day = dayFrom(req.body.date);
    const items = member.parseEntries(str(req.body.lines).slice(0, 20_000));
    const added =
      items.length > 0 ? await member.add(res.locals.memberId!, day, items, clock.now()) : 0;
    kit.redirectWith(
      res,
      `${base(req)}?date=${day}`,
      added === 1 ? 'Entry added.' : `${added} entries added.`,
    );
  });

  t.post('/m/:token/entries/:entryId', 'member', 'form', verified, async (req, res) => {
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
    if (!(await member.update(res.locals.memberId!, entryId, item, clock.now()))) {
      throw new NotFoundError('entry_not_found', 'No such entry');
    }
    kit.redirectWith(res, `${base(req)}?date=${day}`, 'Entry saved.');
  });

  t.post('/m/:token/subscriptions', 'member', 'form', verified, async (req, res) => {
    const kind = str(req.body.kind);
    if (!(KINDS as readonly string[]).includes(kind))
      throw new ValidationError('Unknown mail kind', undefined, 'invalid_kind');
    const off = req.body.action === 'unsubscribe';
    await member.setUnsubscribed(res.locals.memberId!, kind, off, clock.now());
    kit.redirectWith(
      res,
      base(req),
      off ? `Unsubscribed from ${KIND_LABELS[kind]}.` : `Subscribed to ${KIND_LABELS[kind]} again.`,
    );
  });
}
