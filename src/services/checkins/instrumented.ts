/**
 * Check-in metrics at the repositories: a prompt's `send`, `remind` and `skip` transitions, a
 * digest's `finish` and `skip_empty`, and prompts the planner recorded as missed by an outage.
 * Each is counted only when its conditional UPDATE moved the row, so a race lost is not a send.
 * main/features/checkins.ts wraps the real repositories with these.
 */
import type { DigestEvent } from '../../domain/state/digest.js';
import type { PromptEvent } from '../../domain/state/prompt.js';
import type { CheckinMailKind, Telemetry } from '../telemetry.js';
import type { CheckInTickRepository, DigestRepository, PromptRepository } from './ports.js';

type Mail = Pick<Telemetry, 'checkinMail'>;
type Counted = [CheckinMailKind, 'sent' | 'skipped', string | null];

/** What each transition that moved means for the metrics; `skip` adds its reason. */
const PROMPT_EVENTS: Partial<Record<PromptEvent, Counted>> = {
  send: ['prompt', 'sent', null],
  remind: ['reminder', 'sent', null],
  skip: ['prompt', 'skipped', null],
};
const DIGEST_EVENTS: Partial<Record<DigestEvent, Counted>> = {
  skip_empty: ['digest', 'skipped', 'empty'],
  // `finish` straight from start_sending happens only when the team has no reader left.
  finish: ['digest', 'skipped', 'no_recipients'],
};

export function instrumentPrompts<R extends PromptRepository>(repo: R, t: Mail): R {
  return {
    ...repo,
    async transitionPrompt(ex, id, event, p) {
      const moved = await repo.transitionPrompt(ex, id, event, p);
      const c = moved ? PROMPT_EVENTS[event] : undefined;
      if (c) t.checkinMail(c[0], c[1], p?.skipReason ?? c[2]);
      return moved;
    },
  };
}

export function instrumentDigests<R extends DigestRepository>(repo: R, t: Mail): R {
  return {
    ...repo,
    async transitionDigest(ex, id, event, p) {
      const moved = await repo.transitionDigest(ex, id, event, p);
      const c = moved ? DIGEST_EVENTS[event] : undefined;
      if (c) t.checkinMail(...c);
      return moved;
    },
    async finishDigestIfComplete(ex, id, round, at) {
      const finished = await repo.finishDigestIfComplete(ex, id, round, at);
      if (finished) t.checkinMail('digest', 'sent', null);
      return finished;
    },
  };
}

export function instrumentCheckInTicks<R extends CheckInTickRepository>(repo: R, t: Mail): R {
  return {
    ...repo,
    async planPrompts(ex, slots, now, teamId) {
      const planned = await repo.planPrompts(ex, slots, now, teamId);
      for (const p of planned)
        if (p.status === 'missed_by_outage') t.checkinMail('prompt', 'skipped', 'missed_by_outage');
      return planned;
    },
  };
}
