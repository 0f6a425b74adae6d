/**
 * `postroom demo`: a demo team that makes a newcomer's first dashboard show real pages. Three
 * members in three time zones, the week before today planned by the planner and mailed by the
 * prompt service, replies that go through the inbound engine (received, processed, extracted,
 * routed to the prompt, turned into entries), the prompts nobody answered marked missed, and
 * digests for the last two working days. Nothing is written around the services: the pages show
 * what the product itself made.
 *
 * Idempotent: a team named DEMO_TEAM means the demo is there, and nothing is added. `remove`
 * deletes the team with its members, prompts, entries and digests; the mail it sent and
 * received stays in the message and inbound logs, like any other mail.
 */
import { localDateAt, localInstant, addDays } from '../../domain/schedule/local-time.js';
import type { RawInbound } from '../../inbound/providers/types.js';
import type { Clock } from '../../lib/clock.js';
import type { AdminService } from './admin.js';
import { DEMO_DOMAIN, DEMO_MEMBERS, DEMO_TEAM, type DemoMember } from './demo-content.js';
import type { DigestService } from './digests.js';
import type { Links } from './links.js';
import type { PlannerService } from './planner.js';
import type { PromptService } from './prompts.js';
import type { PromptRepository } from './ports.js';
import type { Database } from '../ports.js';

/** The clock the demo's check-in services run on: moved to each moment of the past week. */
export interface DemoClock extends Clock {
  set(at: Date): void;
}

export interface DemoDeps {
  db: Database;
  /** The check-in services below run on this clock; the demo moves it through the week. */
  clock: DemoClock;
  /** The real time, for what has already happened (a cutoff passed). */
  realClock: Clock;
  admin: Pick<
    AdminService,
    'listTeams' | 'createTeam' | 'addMember' | 'deleteTeam' | 'listPrompts'
  >;
  planner: Pick<PlannerService, 'planTeamWindow'>;
  prompts: Pick<PromptService, 'sendPrompts'>;
  digests: Pick<DigestService, 'run' | 'sendChunk'>;
  links: Pick<Links, 'replyAddress'>;
  promptRepository: Pick<PromptRepository, 'transitionPrompt'>;
  /** The inbound engine: store a received message, then process it (parse, route, entries). */
  inbound: {
    receive(input: RawInbound): Promise<{ id: string | null }>;
    process(ids: string[]): Promise<void>;
  };
}

export interface DemoResult {
  teamId: string;
  created: boolean;
  prompts: number;
  replies: number;
  missed: number;
  digests: Array<{ date: string; status: string }>;
}

const ZONE = 'Europe/Berlin';

async function findDemoTeam(deps: DemoDeps): Promise<string | null> {
  let cursor: string | null = null;
  do {
    const page = await deps.admin.listTeams(200, cursor);
    const found = page.data.find((t) => t.name === DEMO_TEAM);
    if (found) return found.id;
    cursor = page.next_cursor;
  } while (cursor);
  return null;
}

type PromptRow = Awaited<ReturnType<DemoDeps['admin']['listPrompts']>>[number];

/** A reply as a mail client writes it: in the prompt's thread, with the prompt quoted below. */
function replyMime(member: DemoMember, p: PromptRow, to: string, at: Date, text: string): Buffer {
  const question = 'What did you get done today?';
  return Buffer.from(
    [
      `From: "${member.name}" <${member.email}>`,
      `To: ${to}`,
      `Subject: Re: ${question}`,
      `Date: ${at.toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <demo.${p.id}@${DEMO_DOMAIN}>`,
      ...(p.message_id ? [`In-Reply-To: ${p.message_id}`, `References: ${p.message_id}`] : []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '',
      `On ${at.toUTCString()}, Postroom wrote:`,
      `> ${question}`,
      '',
    ].join('\r\n'),
  );
}

/** Sends one member's reply to one prompt through the inbound engine, 95 minutes after it. */
async function reply(deps: DemoDeps, member: DemoMember, p: PromptRow, text: string) {
  const at = new Date(p.due_at.getTime() + 95 * 60_000);
  const to = deps.links.replyAddress('prompt', p.id, p.member_id, member.email, p.due_at);
  const stored = await deps.inbound.receive({
    provider: 'relay',
    providerEventId: null,
    raw: replyMime(member, p, to, at, text),
    envelope: { from: member.email, to: [to] },
    verdicts: {},
    extras: {},
  });
  if (stored.id) await deps.inbound.process([stored.id]);
}

async function createTeam(deps: DemoDeps): Promise<{ teamId: string; memberIds: string[] }> {
  const team = await deps.admin.createTeam({
    name: DEMO_TEAM,
    time_zone: ZONE,
    prompt_time: '17:00',
    digest_time: '08:00',
    weekdays: [1, 2, 3, 4, 5],
    reminder: { enabled: true, minutes_before_cutoff: 60 },
    cutoff_time: '23:00',
  });
  const memberIds: string[] = [];
  for (const m of DEMO_MEMBERS) {
    const added = await deps.admin.addMember(team.id, {
      email: m.email,
      name: m.name,
      role: 'member',
      time_zone: m.timeZone,
    });
    memberIds.push(added.id);
  }
  return { teamId: team.id, memberIds };
}

/** The team's prompts of `dates`. */
async function listPrompts(deps: DemoDeps, teamId: string, dates: string[]) {
  return (await Promise.all(dates.map((d) => deps.admin.listPrompts(teamId, d)))).flat();
}

export async function seedDemo(deps: DemoDeps): Promise<DemoResult> {
  const existing = await findDemoTeam(deps);
  if (existing)
    return { teamId: existing, created: false, prompts: 0, replies: 0, missed: 0, digests: [] };
  const now = deps.realClock.now();
  const today = localDateAt(now, ZONE);
  const to = localInstant(today, '00:00', ZONE);
  const from = new Date(to.getTime() - 7 * 86_400_000);
  const dates = Array.from({ length: 8 }, (_, i) => addDays(today, i - 8));
  // The team joined before the week, so the planner asks its members every day of it.
  deps.clock.set(new Date(from.getTime() - 3_600_000));
  const { teamId, memberIds } = await createTeam(deps);
  const planned = await deps.planner.planTeamWindow(teamId, from, to);
  for (const p of (await listPrompts(deps, teamId, dates)).sort((a, b) => +a.due_at - +b.due_at)) {
    deps.clock.set(p.due_at);
    await deps.prompts.sendPrompts([p.id]);
  }
  deps.clock.set(now);
  const { replies, missed } = await answer(
    deps,
    await listPrompts(deps, teamId, dates),
    memberIds,
    now,
  );
  const digests = await lastDigests(deps, teamId, memberIds, dates);
  return { teamId, created: true, prompts: planned.length, replies, missed, digests };
}

/** Each member's replies, oldest prompt first; the prompts left without one are missed. */
async function answer(deps: DemoDeps, prompts: PromptRow[], memberIds: string[], now: Date) {
  let replies = 0;
  let missed = 0;
  for (const [i, member] of DEMO_MEMBERS.entries()) {
    const own = prompts.filter((p) => p.member_id === memberIds[i]);
    for (const [k, p] of own.sort((a, b) => a.local_date.localeCompare(b.local_date)).entries()) {
      if (p.status !== 'sent') continue;
      const text = member.replies[k] ?? null;
      if (text !== null) {
        await reply(deps, member, p, text);
        replies++;
      } else if (p.cutoff_at < now) {
        const at = p.cutoff_at;
        if (await deps.promptRepository.transitionPrompt(deps.db, p.id, 'miss', { at })) missed++;
      }
    }
  }
  return { replies, missed };
}

/** Digests for the last two working days of the week, sent here (or by a worker, if first). */
async function lastDigests(deps: DemoDeps, teamId: string, memberIds: string[], dates: string[]) {
  const working = dates.filter((d) => {
    const day = new Date(`${d}T12:00:00Z`).getUTCDay();
    return day >= 1 && day <= 5;
  });
  const out: DemoResult['digests'] = [];
  for (const date of working.slice(-2)) {
    const { digest } = await deps.digests.run(teamId, date);
    if (digest.status === 'sending') await deps.digests.sendChunk(digest.id, 1, memberIds);
    const after = await deps.digests.run(teamId, date);
    out.push({ date, status: after.digest.status });
  }
  return out;
}

/** Deletes the demo team (members, prompts, entries and digests go with it). */
export async function removeDemo(deps: Pick<DemoDeps, 'admin'>): Promise<string | null> {
  const id = await findDemoTeam(deps as DemoDeps);
  if (id) await deps.admin.deleteTeam(id);
  return id;
}
