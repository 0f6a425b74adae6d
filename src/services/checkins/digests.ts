/**
 * Builds and sends digests. Build reads the reported day's entries once and freezes the view
 * (domain/checkins/digest-view.ts) on the row; an empty day becomes skipped_empty and sends
 * nothing. Sending fans out in chunks; each chunk claims its recipients in digest_deliveries
 * and hands the mails to the outbound engine in the same transaction, so a retried chunk
 * never mails anyone twice. The last chunk to finish moves the digest to sent.
 */
import { digestViewFor, freezeDigest } from '../../domain/checkins/digest-view.js';
import { previousWorkingDay } from '../../domain/schedule/skip-rules.js';
import { localInstant } from '../../domain/schedule/local-time.js';
import { digestMachine } from '../../domain/state/digest.js';
import { renderDigestMail, renderSharedDigestMail } from '../../templates/checkins/digest-mail.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { Database, Executor, JobQueue, OutboundPort } from '../ports.js';
import type { Links } from './links.js';
import { chunk } from './planner-service.js';
import type { CheckinsStore, DigestRow } from './ports.js';
import type { CheckinsSettings } from './settings.js';
import './job-payloads.js';

export interface DigestServiceDeps {
  db: Database;
  store: CheckinsStore;
  queue: JobQueue;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  links: Links;
  settings: CheckinsSettings;
  clock: Clock;
}

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

export function createDigestService(deps: DigestServiceDeps) {
  const { db, store, queue, clock, settings } = deps;
  // The shared (no-mention) render of the last few digests this process sent.
  const shared = new Map<string, ReturnType<typeof renderSharedDigestMail>>();
  function sharedRender(digest: DigestRow, round: number, view: ReturnType<typeof digestViewFor>) {
    const key = `${digest.id}:${round}`;
    let r = shared.get(key);
    if (!r) {
      r = renderSharedDigestMail({ ...view, subject: subjectOf(view) });
      if (shared.size >= 4) shared.delete(shared.keys().next().value!);
      shared.set(key, r);
    }
    return r;
  }

  /** Moves a built digest to sending and queues its recipient chunks, in one transaction. */
  async function startSending(
    tx: Executor,
    digest: DigestRow,
    round: number,
    from: 'built' | 'sent',
  ): Promise<number> {
    const ok = await store.transitionDigest(
      tx,
      digest.id,
      from === 'built' ? digestMachine.sources('start_sending') : digestMachine.sources('resend'),
      'sending',
      clock.now(),
    );
    if (!ok) return 0;
    const ids: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await store.digestRecipients(tx, digest.team_id, after, 5000);
      ids.push(...page.map((m) => m.id));
      if (page.length < 5000) break;
      after = page[page.length - 1]!.id;
    }
    await store.setRecipientsTotal(tx, digest.id, ids.length);
    if (ids.length === 0) {
      await store.transitionDigest(tx, digest.id, ['sending'], 'sent', clock.now());
      return 0;
    }
    await queue.sendMany(
      'checkins.digest.send',
      chunk(ids, settings.batchSize).map((member_ids) => ({
        data: { digest_id: digest.id, round, member_ids },
      })),
      { tx },
    );
    return ids.length;
  }

  async function build(digestId: string): Promise<DigestRow> {
    return db.transaction(async (tx) => {
      const digest = await store.getDigest(tx, digestId);
      if (!digest) throw new NotFoundError('digest_not_found', `No digest ${digestId}`);
      if (digest.status !== 'pending') return digest;
      const team = (await store.getTeam(tx, digest.team_id))!;
      const now = clock.now();
      const entries = await store.digestEntries(tx, digest.team_id, digest.local_date);
      if (entries.length === 0) {
        await store.markDigestEmpty(tx, digest.id, now);
        return (await store.getDigest(tx, digest.id))!;
      }
      const frozen = freezeDigest(team.name, digest.local_date, entries);
      const recipients = (await store.digestRecipients(tx, team.id, null, 1_000_000)).length;
      await store.freezeDigest(tx, digest.id, frozen, recipients, now);
      const built = (await store.getDigest(tx, digest.id))!;
      await startSending(tx, built, 1, 'built');
      return (await store.getDigest(tx, digest.id))!;
    });
  }

  return {
    build,

    async sendChunk(
      digestId: string,
      round: number,
      memberIds: readonly string[],
    ): Promise<number> {
      const sent = await db.transaction(async (tx) => {
        const digest = await store.getDigest(tx, digestId);
        if (!digest || digest.status !== 'sending' || !digest.content) return 0;
        const now = clock.now();
        const claimed = new Set(await store.claimDeliveries(tx, digestId, round, memberIds, now));
        if (claimed.size === 0) return 0;
        const members = (await store.listMembersByIds(tx, [...claimed])).filter((m) =>
          claimed.has(m.id),
        );
        for (const m of members) {
          const view = digestViewFor(digest.content, { name: m.name, email: m.email });
          const unsubscribeUrl = deps.links.unsubscribeUrl(m.id, 'digest', now);
          const urls = { preferencesUrl: deps.links.preferencesUrl(m.id, now), unsubscribeUrl };
          const mail =
            view.mentionCount > 0
              ? renderDigestMail({ ...view, subject: subjectOf(view), ...urls })
              : sharedRender(digest, round, view)(urls);
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
                reply_to: deps.links.replyAddress('team', digest.team_id, m.id, m.email, now),
                list_unsubscribe: { url: unsubscribeUrl },
                tags: ['checkins', 'digest'],
                metadata: { digest_id: digest.id, member_id: m.id, round },
                idempotency_key: `checkins.digest:${digest.id}:${round}:${m.id}`,
              },
              { tx },
            ),
          );
        }
        return members.length;
      });
      // After the commit, so the last chunk sees every other chunk's claims.
      await store.finishDigestIfComplete(db, digestId, round, clock.now());
      return sent;
    },

    /**
     * The operator run (`postroom digests run`): the digest reporting `date`, created if the
     * tick has not, built and sent. A sent digest is left alone unless `resend`.
     */
    async run(
      teamId: string,
      date: string,
      opts: { resend?: boolean } = {},
    ): Promise<{ digest: DigestRow; action: string }> {
      const team = await store.getTeam(db, teamId);
      if (!team) throw new NotFoundError('team_not_found', `No team ${teamId}`);
      let digest = await store.findDigest(db, teamId, date);
      if (!digest) {
        const holidays = await store.listHolidays(db, teamId);
        // The send date is the next working day after the reported one (for the record only).
        let send = date;
        for (let i = 1; i <= 60; i++) {
          const d = new Date(Date.parse(`${date}T00:00:00Z`) + i * 86_400_000)
            .toISOString()
            .slice(0, 10);
          if (previousWorkingDay(d, { weekdays: team.weekdays, holidays }) === date) {
            send = d;
            break;
          }
        }
        digest = await store.createDigest(
          db,
          teamId,
          date,
          send,
          localInstant(send, team.digest_time, team.time_zone),
          clock.now(),
        );
      }
      if (digest.status === 'pending') {
        const built = await build(digest.id);
        return {
          digest: built,
          action: built.status === 'skipped_empty' ? 'skipped_empty' : 'built_and_sending',
        };
      }
      if (digest.status === 'built') {
        await db.transaction((tx) => startSending(tx, digest, 1, 'built'));
        return { digest: (await store.getDigest(db, digest.id))!, action: 'sending' };
      }
      if (digest.status === 'sent' && opts.resend) {
        const round = (await store.digestRound(db, digest.id)) + 1;
        await db.transaction((tx) => startSending(tx, digest, round, 'sent'));
        return { digest: (await store.getDigest(db, digest.id))!, action: 'resending' };
      }
      return { digest, action: digest.status === 'sent' ? 'already_sent' : digest.status };
    },
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
