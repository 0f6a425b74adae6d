/**
 * The minutely tick: plans due prompts and digests, queues due reminders and closes missed
 * prompts. One transaction under an advisory lock, a few set-based statements whatever the
 * member count, and the fan-out jobs are enqueued inside it, so a crash leaves either
 * nothing or everything. Two workers ticking at once serialise on the lock; the unique keys
 * (member, local_date) and (team, local_date) would stop a duplicate anyway.
 */
import { tickWindow } from '../../domain/schedule/catch-up.js';
import { digestSlotsInWindow, slotsInWindow, type Schedule } from '../../domain/schedule/slots.js';
import type { Database, Executor, JobQueue } from '../ports.js';
import type { CheckinsStore } from './ports.js';
import type { CheckinsSettings } from './settings.js';
import './job-payloads.js';

export interface TickResult {
  prompts: number;
  missedByOutage: number;
  digests: number;
  reminders: number;
  missed: number;
}

export interface PlannerDeps {
  db: Database;
  store: CheckinsStore;
  queue: JobQueue;
  settings: CheckinsSettings;
}

function dedupeSchedules(list: Schedule[]): Schedule[] {
  const seen = new Map<string, Schedule>();
  for (const s of list)
    seen.set(`${s.zone}|${s.promptTime}|${s.cutoffTime}|${s.reminderMinutes}`, s);
  return [...seen.values()];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createPlannerService(deps: PlannerDeps) {
  const { db, store, queue, settings } = deps;

  async function fanOutPrompts(tx: Executor, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await queue.sendMany(
      'checkins.prompt.send',
      chunk(ids, settings.batchSize).map((prompt_ids) => ({ data: { prompt_ids } })),
      { tx },
    );
  }

  // Personal schedules (a member's own zone or time) need a scan of those members; they are
  // re-read only when the version row, bumped by a trigger in the same transaction as the
  // member change, has moved.
  let cached: { version: number; schedules: Schedule[] } | null = null;
  async function personalSchedules(
    tx: Executor,
    version: number,
    teamId?: string,
  ): Promise<Schedule[]> {
    if (teamId) return store.listPersonalSchedules(tx, teamId);
    if (cached?.version !== version)
      cached = { version, schedules: await store.listPersonalSchedules(tx) };
    return cached.schedules;
  }

  return {
    /** The scheduled tick. `teamId` limits it to one team (the operator CLI). */
    async tick(now: Date, opts: { teamId?: string } = {}): Promise<TickResult> {
      return db.transaction(async (tx) => {
        const begun = await store.beginTick(tx, opts.teamId);
        const { scheduleVersion } = begun;
        // An operator run for one team re-plans the whole catch-up window; unique keys make it safe.
        const watermark = opts.teamId ? null : begun.watermark;
        const w = tickWindow({
          now,
          watermark,
          catchUpHours: settings.catchUpHours,
          maxLookbackHours: settings.maxLookbackHours,
        });
        const { schedules } = begun;
        const personal = await personalSchedules(tx, scheduleVersion, opts.teamId);
        const promptSchedules = dedupeSchedules([...schedules.prompts, ...personal]);
        const planned = await store.planPrompts(
          tx,
          slotsInWindow(promptSchedules, w, settings.quietHours),
          now,
          opts.teamId,
        );
        const toSend = planned.filter((p) => p.status === 'scheduled').map((p) => p.id);
        await fanOutPrompts(tx, toSend);

        const digests = await store.planDigests(
          tx,
          digestSlotsInWindow(schedules.digests, w),
          now,
          opts.teamId,
        );
        if (digests.length > 0) {
          await queue.sendMany(
            'checkins.digest.build',
            digests.map((digest_id) => ({ data: { digest_id }, singletonKey: digest_id })),
            { tx },
          );
        }

        // A team-limited run (operator CLI) must not move the shared watermark past other teams.
        if (opts.teamId)
          return {
            prompts: toSend.length,
            missedByOutage: planned.length - toSend.length,
            digests: digests.length,
            reminders: 0,
            missed: 0,
          };
        const { reminders, missed } = await store.finishTick(tx, w.from, w.to);
        if (reminders.length > 0) {
          await queue.sendMany(
            'checkins.reminder.send',
            chunk(reminders, settings.batchSize).map((prompt_ids) => ({ data: { prompt_ids } })),
            { tx },
          );
        }
        return {
          prompts: toSend.length,
          missedByOutage: planned.length - toSend.length,
          digests: digests.length,
          reminders: reminders.length,
          missed,
        };
      });
    },
  };
}

export type PlannerService = ReturnType<typeof createPlannerService>;
