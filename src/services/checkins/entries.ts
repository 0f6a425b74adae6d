/**
 * Entry edits outside a reply: the /v1 API's (any entry of a team) and the member page's (a
 * member's own entries, reached by a signed link). Both write through the entries repository,
 * the one writer of that table; replies add theirs in replies.ts.
 */
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import { requireTeam } from './lookups.js';
import type {
  EntryChanges,
  EntryRepository,
  EntryRow,
  MemberRepository,
  NewEntry,
  TeamRepository,
} from './ports.js';
import { entryView } from './views.js';

/** What the /v1 entry edits use. */
export interface EntryApiDeps {
  db: Database;
  clock: Clock;
  entries: Pick<EntryRepository, 'listEntries' | 'updateEntry' | 'deleteEntry'>;
  teams: Pick<TeamRepository, 'getTeam'>;
}

/** What the member page's edits use. */
export interface EntryServiceDeps extends EntryApiDeps {
  entries: Pick<
    EntryRepository,
    'listEntries' | 'getEntry' | 'updateEntry' | 'deleteEntry' | 'insertEntries'
  >;
  members: Pick<MemberRepository, 'getMember'>;
}

/** Whose entries the member page shows: the member, their team, and the zone they live in. */
export interface EntryOwner {
  id: string;
  name: string;
  email: string;
  teamId: string;
  teamName: string;
  timeZone: string;
}

/** The most entries one member-day shows; a reply has a few dozen lines at most. */
const DAY_LIMIT = 1000;

// ---------------------------------------------------------------- the /v1 API

export async function listEntries(
  deps: EntryApiDeps,
  teamId: string,
  q: { from?: string; to?: string; member?: string; limit: number },
) {
  await requireTeam(deps, teamId);
  const rows = await deps.entries.listEntries(deps.db, teamId, {
    from: q.from,
    to: q.to,
    memberId: q.member,
    limit: q.limit,
  });
  return rows.map(entryView);
}

/**
 * An edit that would make the entry identical to another of the same member, day and kind
 * (entries_line_key) is a 409 `entry_exists`, from the API and the member page alike.
 */
async function saveEntry(
  deps: Pick<EntryApiDeps, 'db' | 'entries' | 'clock'>,
  id: string,
  p: EntryChanges,
): Promise<EntryRow | null> {
  try {
    return await deps.entries.updateEntry(deps.db, id, p, deps.clock.now());
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new ConflictError('entry_exists', 'An identical entry exists on that day');
    throw err;
  }
}

export async function updateEntry(deps: EntryApiDeps, id: string, p: EntryChanges) {
  const e = await saveEntry(deps, id, p);
  if (!e) throw new NotFoundError('entry_not_found', `No entry ${id}`);
  return entryView(e);
}

export async function deleteEntry(deps: EntryApiDeps, id: string): Promise<void> {
  if (!(await deps.entries.deleteEntry(deps.db, id)))
    throw new NotFoundError('entry_not_found', `No entry ${id}`);
}

// ---------------------------------------------------------------- a member's own entries

async function owner(deps: EntryServiceDeps, memberId: string): Promise<EntryOwner | null> {
  const m = await deps.members.getMember(deps.db, memberId);
  const t = m && (await deps.teams.getTeam(deps.db, m.team_id));
  if (!m || !t) return null;
  const zone = m.time_zone ?? t.time_zone;
  return { id: m.id, name: m.name, email: m.email, teamId: t.id, teamName: t.name, timeZone: zone };
}

async function listOwn(deps: EntryServiceDeps, memberId: string, date: string) {
  const m = await deps.members.getMember(deps.db, memberId);
  if (!m) return [];
  const q = { from: date, to: date, memberId, limit: DAY_LIMIT };
  return deps.entries.listEntries(deps.db, m.team_id, q);
}

/** Adds entries in one statement; a line the member already has for that date and kind is skipped. */
async function addOwn(
  deps: EntryServiceDeps,
  memberId: string,
  date: string,
  items: readonly NewEntry[],
): Promise<number> {
  const m = await deps.members.getMember(deps.db, memberId);
  if (!m || items.length === 0) return 0;
  const batch = {
    teamId: m.team_id,
    memberId,
    promptId: null,
    localDate: date,
    inboundEmailId: null,
    source: 'api' as const,
    at: deps.clock.now(),
  };
  return (await deps.entries.insertEntries(deps.db, batch, items)).length;
}

/** The entry, if it is this member's: a link never reaches another member's rows. */
async function ownEntry(deps: EntryServiceDeps, memberId: string, entryId: string) {
  const e: EntryRow | null = await deps.entries.getEntry(deps.db, entryId);
  return e?.member_id === memberId ? e : null;
}

async function updateOwn(
  deps: EntryServiceDeps,
  memberId: string,
  entryId: string,
  item: NewEntry,
): Promise<boolean> {
  if (!(await ownEntry(deps, memberId, entryId))) return false;
  const { kind, text, tags, mentions, completed } = item;
  const patch = { kind, text, tags, mentions, completed };
  return (await saveEntry(deps, entryId, patch)) !== null;
}

async function removeOwn(deps: EntryServiceDeps, memberId: string, entryId: string) {
  if (!(await ownEntry(deps, memberId, entryId))) return false;
  return deps.entries.deleteEntry(deps.db, entryId);
}

/** The member page's use cases, scoped by the member id its verified link carries. */
export function createEntryService(deps: EntryServiceDeps) {
  return {
    owner: (memberId: string) => owner(deps, memberId),
    listOwn: (memberId: string, date: string) => listOwn(deps, memberId, date),
    addOwn: (memberId: string, date: string, items: readonly NewEntry[]) =>
      addOwn(deps, memberId, date, items),
    updateOwn: (memberId: string, entryId: string, item: NewEntry) =>
      updateOwn(deps, memberId, entryId, item),
    removeOwn: (memberId: string, entryId: string) => removeOwn(deps, memberId, entryId),
  };
}

export type EntryService = ReturnType<typeof createEntryService>;
