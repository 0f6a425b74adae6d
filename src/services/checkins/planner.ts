/**
 * The minutely tick: plans due prompts and digests, queues due reminders and closes missed
 * prompts. One transaction under an advisory lock, a few set-based statements whatever the
 * member count, and the fan-out jobs are enqueued inside it, so a crash leaves either
 * nothing or everything. Two workers ticking at once serialise on the lock; the unique keys
 * (member, local_date) and (team, local_date) would stop a duplicate anyway.
 */
import { tickWindow, type TickWindow } from '../../domain/schedule/catch-up.js';
import { digestSlotsInWindow, slotsInWindow, type Schedule } from '../../domain/schedule/slots.js';
import type { Database, Executor, JobQueue } from '../ports.js';
import type { CheckInTickRepository, PlannedPrompt, TickStart } from './ports.js';
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
  checkInTicks: CheckInTickRepository;
  queue: JobQueue;
  settings: CheckinsSettings;
}

/** What a tick keeps between runs: the personal schedules, re-read when their version moves. */
interface PlannerState {
  cached: { version: number; schedules: Schedule[] } | null;
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

/** Queues id chunks on `queue` in the tick's transaction. */
async function fanOut(
  deps: PlannerDeps,
  tx: Executor,
  queue: 'checkins.prompt.send' | 'checkins.reminder.send',
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await deps.queue.sendMany(
    queue,
    chunk(ids, deps.settings.batchSize).map((prompt_ids) => ({ data: { prompt_ids } })),
    { tx },
  );
}

/**
 * Personal schedules (a member's own zone or time) need a scan of those members; they are
 * re-read only when the version row, bumped by a trigger in the same transaction as the
 * member change, has moved.
 */
async function personalSchedules(
  deps: PlannerDeps,
  state: PlannerState,
  tx: Executor,
  version: number,
  teamId?: string,
): Promise<Schedule[]> {
  if (teamId) return deps.checkInTicks.listPersonalSchedules(tx, teamId);
  if (state.cached?.version !== version)
    state.cached = { version, schedules: await deps.checkInTicks.listPersonalSchedules(tx) };
  return state.cached.schedules;
}

/** Inserts the window's prompts for every schedule in use, and queues the ones to send. */
async function planPrompts(
  deps: PlannerDeps,
  state: PlannerState,
  tx: Executor,
  begun: TickStart,
  w: TickWindow,
  now: Date,
  teamId?: string,
): Promise<PlannedPrompt[]> {
  const personal = await personalSchedules(deps, state, tx, begun.scheduleVersion, teamId);
  const schedules = dedupeSchedules([...begun.schedules.prompts, ...personal]);
  const slots = slotsInWindow(schedules, w, deps.settings.quietHours);
  const planned = await deps.checkInTicks.planPrompts(tx, slots, now, teamId);
  const toSend = planned.filter((p) => p.status === 'scheduled').map((p) => p.id);
  await fanOut(deps, tx, 'checkins.prompt.send', toSend);
  return planned;
}

/** Inserts the window's digests and queues one build job each. */
async function planDigests(
  deps: PlannerDeps,
  tx: Executor,
  begun: TickStart,
  w: TickWindow,
  now: Date,
  teamId?: string,
): Promise<string[]> {
  const slots = digestSlotsInWindow(begun.schedules.digests, w);
  const digests = await deps.checkInTicks.planDigests(tx, slots, now, teamId);
  if (digests.length > 0) {
    await deps.queue.sendMany(
      'checkins.digest.build',
      digests.map((digest_id) => ({ data: { digest_id }, singletonKey: digest_id })),
      { tx },
    );
  }
  return digests;
}

/** The scheduled tick. `teamId` limits it to one team (the operator CLI). */
async function tick(
  deps: PlannerDeps,
  state: PlannerState,
  now: Date,
  opts: { teamId?: string } = {},
): Promise<TickResult> {
  const { settings } = deps;
  return deps.db.transaction(async (tx) => {
    const begun = await deps.checkInTicks.beginTick(tx, opts.teamId);
    // An operator run for one team re-plans the whole catch-up window; unique keys make it safe.
    const w = tickWindow({
      now,
      watermark: opts.teamId ? null : begun.watermark,
      catchUpHours: settings.catchUpHours,
      maxLookbackHours: settings.maxLookbackHours,
    });
    const planned = await planPrompts(deps, state, tx, begun, w, now, opts.teamId);
    const digests = await planDigests(deps, tx, begun, w, now, opts.teamId);
    const sent = planned.filter((p) => p.status === 'scheduled').length;
    const result = {
      prompts: sent,
      missedByOutage: planned.length - sent,
      digests: digests.length,
      reminders: 0,
      missed: 0,
    };
    // A team-limited run (operator CLI) must not move the shared watermark past other teams.
    if (opts.teamId) return result;
    const { reminders, missed } = await deps.checkInTicks.finishTick(tx, w.from, w.to);
    await fanOut(deps, tx, 'checkins.reminder.send', reminders);
    return { ...result, reminders: reminders.length, missed };
  });
}

/**
 * One team's prompts due in [from, to), planned but not queued: `postroom demo` plans a past
 * week this way and sends them itself. The same schedules and skip rules as a tick.
 */
async function planTeamWindow(deps: PlannerDeps, teamId: string, from: Date, to: Date) {
  return deps.db.transaction(async (tx) => {
    const begun = await deps.checkInTicks.beginTick(tx, teamId);
    const personal = await deps.checkInTicks.listPersonalSchedules(tx, teamId);
    const schedules = dedupeSchedules([...begun.schedules.prompts, ...personal]);
    const w: TickWindow = { from: new Date(from.getTime() - 1), to, sendFrom: from };
    const slots = slotsInWindow(schedules, w, deps.settings.quietHours);
    return deps.checkInTicks.planPrompts(tx, slots, to, teamId);
  });
}

export function createPlannerService(deps: PlannerDeps) {
  const state: PlannerState = { cached: null };
  return {
    tick: (now: Date, opts: { teamId?: string } = {}) => tick(deps, state, now, opts),
    planTeamWindow: (teamId: string, from: Date, to: Date) =>
      planTeamWindow(deps, teamId, from, to),
  };
}

export type PlannerService = ReturnType<typeof createPlannerService>;
