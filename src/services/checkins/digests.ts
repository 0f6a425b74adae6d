/**
 * Builds and sends digests. Build reads the reported day's entries once and freezes the view
 * (domain/checkins/digest-view.ts) on the row; an empty day becomes skipped_empty and sends
 * nothing. Sending fans out in chunks; each chunk claims its recipients in digest_deliveries
 * and hands the mails to the outbound engine in the same transaction, so a retried chunk
 * never mails anyone twice. The last chunk to finish moves the digest to sent. Every status
 * change is a digestMachine event (storage's transitionDigest).
 */
import { digestViewFor, freezeDigest } from '../../domain/checkins/digest-view.js';
import { previousWorkingDay } from '../../domain/schedule/skip-rules.js';
import { localInstant } from '../../domain/schedule/local-time.js';
import { renderDigestMail, renderSharedDigestMail } from '../../templates/checkins/digest-mail.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { Database, Executor, JobQueue, OutboundPort } from '../ports.js';
import type { Links } from './links.js';
import { chunk } from './planner.js';
import type {
  DigestRepository,
  DigestRow,
  MemberRepository,
  MemberRow,
  TeamRepository,
  TeamRow,
} from './ports.js';
import type { CheckinsSettings } from './settings.js';
import './job-payloads.js';

export interface DigestServiceDeps {
  db: Database;
  digests: DigestRepository;
  teams: Pick<TeamRepository, 'getTeam' | 'listHolidays'>;
  members: Pick<MemberRepository, 'listMembersByIds'>;
  queue: JobQueue;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  links: Links;
  settings: CheckinsSettings;
  clock: Clock;
}

/** The shared (no-mention) render of the last few digests this process sent. */
type SharedRenders = Map<string, ReturnType<typeof renderSharedDigestMail>>;
type DigestView = ReturnType<typeof digestViewFor>;

const RECIPIENT_PAGE = 5000;

async function skipInvalid(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
  }
}

function subjectOf(view: { teamName: string; dateLabel: string; mentionCount: number }): string {
  return `${view.teamName}: ${view.dateLabel}${view.mentionCount ? ` (${view.mentionCount} mention you)` : ''}`;
}

function sharedRender(
  cache: SharedRenders,
  digest: DigestRow,
  round: number,
  view: DigestView & { archiveUrl: string },
) {
  const key = `${digest.id}:${round}`;
  let r = cache.get(key);
  if (!r) {
    r = renderSharedDigestMail({ ...view, subject: subjectOf(view) });
    if (cache.size >= 4) cache.delete(cache.keys().next().value!);
    cache.set(key, r);
  }
  return r;
}

/** Every recipient's id, paged by id so a large team is never one huge read. */
async function recipientIds(deps: DigestServiceDeps, tx: Executor, teamId: string) {
  const ids: string[] = [];
  for (let after: string | null = null; ;) {
    const page = await deps.digests.digestRecipients(tx, teamId, after, RECIPIENT_PAGE);
    ids.push(...page.map((m) => m.id));
    if (page.length < RECIPIENT_PAGE) return ids;
    after = page[page.length - 1]!.id;
  }
}

/** Moves a built (or, to resend, a sent) digest to sending and queues its recipient chunks. */
async function startSending(
  deps: DigestServiceDeps,
  tx: Executor,
  digest: DigestRow,
  round: number,
  event: 'start_sending' | 'resend',
): Promise<number> {
  const { digests, clock } = deps;
  if (!(await digests.transitionDigest(tx, digest.id, event, { at: clock.now() }))) return 0;
  const ids = await recipientIds(deps, tx, digest.team_id);
  await digests.setRecipientsTotal(tx, digest.id, ids.length);
  if (ids.length === 0) {
    await digests.transitionDigest(tx, digest.id, 'finish', { at: clock.now() });
    return 0;
  }
  await deps.queue.sendMany(
    'checkins.digest.send',
    chunk(ids, deps.settings.batchSize).map((member_ids) => ({
      data: { digest_id: digest.id, round, member_ids },
    })),
    { tx },
  );
  return ids.length;
}

/** Freezes a pending digest's content (or skips an empty day) and starts sending it. */
async function build(deps: DigestServiceDeps, digestId: string): Promise<DigestRow> {
  const { digests } = deps;
  return deps.db.transaction(async (tx) => {
    const digest = await digests.getDigest(tx, digestId);
    if (!digest) throw new NotFoundError('digest_not_found', `No digest ${digestId}`);
    if (digest.status !== 'pending') return digest;
    const team = (await deps.teams.getTeam(tx, digest.team_id))!;
    const now = deps.clock.now();
    const entries = await digests.digestEntries(tx, digest.team_id, digest.local_date);
    if (entries.length === 0) {
      await digests.transitionDigest(tx, digest.id, 'skip_empty', { at: now });
      return (await digests.getDigest(tx, digest.id))!;
    }
    const content = freezeDigest(team.name, digest.local_date, entries);
    const recipients = (await digests.digestRecipients(tx, team.id, null, 1_000_000)).length;
    await digests.transitionDigest(tx, digest.id, 'build', { at: now, content, recipients });
    const built = (await digests.getDigest(tx, digest.id))!;
    await startSending(deps, tx, built, 1, 'start_sending');
    return (await digests.getDigest(tx, digest.id))!;
  });
}

/** Renders one reader's digest and hands it to the outbound engine in `tx`. */
async function mailRecipient(
  deps: DigestServiceDeps,
  cache: SharedRenders,
  tx: Executor,
  digest: DigestRow & { content: NonNullable<DigestRow['content']> },
  round: number,
  m: MemberRow,
  now: Date,
): Promise<void> {
  const { links, settings } = deps;
  const view = {
    ...digestViewFor(digest.content, { name: m.name, email: m.email }),
    archiveUrl: links.archiveUrl(digest.team_id, digest.local_date),
  };
  const unsubscribeUrl = links.unsubscribeUrl(m.id, 'digest', now);
  const urls = { preferencesUrl: links.preferencesUrl(m.id, now), unsubscribeUrl };
  const mail =
    view.mentionCount > 0
      ? renderDigestMail({ ...view, subject: subjectOf(view), ...urls })
      : sharedRender(cache, digest, round, view)(urls);
  // A recipient the outbound engine refuses at validation (before any SQL ran, so the
  // transaction is intact) is left out instead of failing the chunk on every retry.
  await skipInvalid(() =>
    deps.outbound.sendMessage(
      {
        ...(settings.from ? { from: settings.from } : {}),
        to: [m.email],
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        stream: 'broadcast',
        kind: 'digest',
        reply_to: links.replyAddress('team', digest.team_id, m.id, m.email, now),
        list_unsubscribe: { url: unsubscribeUrl },
        tags: ['checkins', 'digest'],
        metadata: { digest_id: digest.id, member_id: m.id, round },
        idempotency_key: `checkins.digest:${digest.id}:${round}:${m.id}`,
      },
      { tx },
    ),
  );
}

/** Mails one chunk of recipients (those this round has not claimed yet), then maybe finishes. */
async function sendChunk(
  deps: DigestServiceDeps,
  cache: SharedRenders,
  digestId: string,
  round: number,
  memberIds: readonly string[],
): Promise<number> {
  const { digests } = deps;
  const sent = await deps.db.transaction(async (tx) => {
    const digest = await digests.getDigest(tx, digestId);
    if (!digest || digest.status !== 'sending' || !digest.content) return 0;
    const frozen = { ...digest, content: digest.content };
    const now = deps.clock.now();
    const claimed = new Set(await digests.claimDeliveries(tx, digestId, round, memberIds, now));
    if (claimed.size === 0) return 0;
    const members = (await deps.members.listMembersByIds(tx, [...claimed])).filter((m) =>
      claimed.has(m.id),
    );
    for (const m of members) await mailRecipient(deps, cache, tx, frozen, round, m, now);
    return members.length;
  });
  // After the commit, so the last chunk sees every other chunk's claims.
  await digests.finishDigestIfComplete(deps.db, digestId, round, deps.clock.now());
  return sent;
}

/** The send date is the next working day after the reported one (for the record only). */
async function sendDateFor(deps: DigestServiceDeps, team: TeamRow, date: string) {
  const holidays = await deps.teams.listHolidays(deps.db, team.id);
  for (let i = 1; i <= 60; i++) {
    const d = new Date(Date.parse(`${date}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    if (previousWorkingDay(d, { weekdays: team.weekdays, holidays }) === date) return d;
  }
  return date;
}

/** The digest reporting `date`, created when the tick has not planned it. */
async function digestFor(deps: DigestServiceDeps, team: TeamRow, date: string) {
  const found = await deps.digests.findDigest(deps.db, team.id, date);
  if (found) return found;
  const send = await sendDateFor(deps, team, date);
  const dueAt = localInstant(send, team.digest_time, team.time_zone);
  const digest = { team_id: team.id, local_date: date, send_date: send, due_at: dueAt };
  return deps.digests.createDigest(deps.db, digest, deps.clock.now());
}

/**
 * The operator run (`postroom digests run`): the digest reporting `date`, created if the
 * tick has not, built and sent. A sent digest is left alone unless `resend`.
 */
async function run(
  deps: DigestServiceDeps,
  teamId: string,
  date: string,
  opts: { resend?: boolean } = {},
): Promise<{ digest: DigestRow; action: string }> {
  const { db, digests } = deps;
  const team = await deps.teams.getTeam(db, teamId);
  if (!team) throw new NotFoundError('team_not_found', `No team ${teamId}`);
  const digest = await digestFor(deps, team, date);
  if (digest.status === 'pending') {
    const built = await build(deps, digest.id);
    const action = built.status === 'skipped_empty' ? 'skipped_empty' : 'built_and_sending';
    return { digest: built, action };
  }
  if (digest.status === 'built') {
    await db.transaction((tx) => startSending(deps, tx, digest, 1, 'start_sending'));
    return { digest: (await digests.getDigest(db, digest.id))!, action: 'sending' };
  }
  if (digest.status === 'sent' && opts.resend) {
    const round = (await digests.digestRound(db, digest.id)) + 1;
    await db.transaction((tx) => startSending(deps, tx, digest, round, 'resend'));
    return { digest: (await digests.getDigest(db, digest.id))!, action: 'resending' };
  }
  return { digest, action: digest.status === 'sent' ? 'already_sent' : digest.status };
}

export function createDigestService(deps: DigestServiceDeps) {
  const cache: SharedRenders = new Map();
  return {
    build: (digestId: string) => build(deps, digestId),
    sendChunk: (digestId: string, round: number, memberIds: readonly string[]) =>
      sendChunk(deps, cache, digestId, round, memberIds),
    run: (teamId: string, date: string, opts: { resend?: boolean } = {}) =>
      run(deps, teamId, date, opts),
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
