/**
 * The digest view model. `freezeDigest` runs once when the digest is built and its result is
 * stored; `digestViewFor` personalises the frozen content for one reader (their @mentions
 * highlighted) at send time, so every reader sees the same entries.
 */
import { tagsIn } from '../entries/index.js';
import type { EntryKind, EntryView } from './entry.js';

export interface DigestSourceEntry extends EntryView {
  memberId: string;
  memberName: string;
}

export interface FrozenDigest {
  teamName: string;
  /** The reported local date. */
  date: string;
  people: Array<{ memberId: string; name: string; items: EntryView[] }>;
  counts: Record<EntryKind, number>;
}

const ORDER: Record<EntryKind, number> = { blocker: 0, done: 1, goal: 2 };

export function freezeDigest(
  teamName: string,
  date: string,
  entries: readonly DigestSourceEntry[],
): FrozenDigest {
  const byMember = new Map<string, { memberId: string; name: string; items: EntryView[] }>();
  const counts: Record<EntryKind, number> = { blocker: 0, done: 0, goal: 0 };
  for (const e of entries) {
    let p = byMember.get(e.memberId);
    if (!p) {
      p = { memberId: e.memberId, name: e.memberName, items: [] };
      byMember.set(e.memberId, p);
    }
    p.items.push({
      kind: e.kind,
      text: e.text,
      tags: e.tags,
      mentions: e.mentions,
      ...(e.completed ? { completed: true } : {}),
    });
    counts[e.kind]++;
  }
  const people = [...byMember.values()];
  // Stable sort keeps each kind in the order written; people with blockers come first.
  for (const p of people) p.items.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  people.sort((a, b) => {
    const ab = a.items[0]?.kind === 'blocker' ? 0 : 1;
    const bb = b.items[0]?.kind === 'blocker' ? 0 : 1;
    return ab - bb || a.name.localeCompare(b.name);
  });
  return { teamName, date, people, counts };
}

export interface Reader {
  name: string;
  email: string;
}

export interface TextPart {
  text: string;
  /** An @mention of the reader: shown highlighted. */
  you: boolean;
}

export interface DigestItemView {
  kind: EntryKind;
  label: string;
  parts: TextPart[];
  tags: string[];
  completed: boolean;
  mentionsYou: boolean;
}

export interface DigestPerson {
  name: string;
  items: DigestItemView[];
  hasBlockers: boolean;
  /** Lines left out to keep the mail within its budget (digest-budget.ts). */
  more?: number;
}

export interface DigestView {
  teamName: string;
  date: string;
  dateLabel: string;
  people: DigestPerson[];
  mentionCount: number;
  summary: string;
  /** Set when the mail was shortened to its budget: what the archive holds besides. */
  trimmed?: { people: number; items: number };
}

/** Tags the entry's text does not already show as "#tag": each tag is shown once. */
export function tagsNotInText(text: string, tags: readonly string[]): string[] {
  const written = new Set(tagsIn(text));
  return tags.filter((t) => !written.has(t.toLowerCase()));
}

/** Handles a reader answers to: the email's local part, the full name squashed, the first name. */
export function readerHandles(reader: Reader): Set<string> {
  const handles = new Set<string>();
  const local = reader.email.split('@')[0]?.toLowerCase();
  if (local) handles.add(local);
  const name = reader.name.trim().toLowerCase();
  if (name) {
    handles.add(name.replace(/\s+/g, ''));
    handles.add(name.replace(/\s+/g, '.'));
    handles.add(name.split(/\s+/)[0]!);
  }
  return handles;
}

const LABEL: Record<EntryKind, string> = { blocker: 'Blocker', done: 'Done', goal: 'Goal' };

export function splitMentions(text: string, handles: Set<string>): TextPart[] {
  const parts: TextPart[] = [];
  const re = /@([\p{L}\p{N}._-]*[\p{L}\p{N}_])/gu;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (!handles.has(m[1]!.toLowerCase())) continue;
    if (m.index > last) parts.push({ text: text.slice(last, m.index), you: false });
    parts.push({ text: m[0], you: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), you: false });
  return parts;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "Tuesday 24 November 2026": built by hand so it does not depend on the ICU data installed. */
export function formatDateLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function digestViewFor(frozen: FrozenDigest, reader: Reader): DigestView {
  const handles = readerHandles(reader);
  let mentionCount = 0;
  const people = frozen.people.map((p) => {
    const items = p.items.map((i): DigestItemView => {
      const parts = splitMentions(i.text, handles);
      const mentionsYou =
        parts.some((x) => x.you) || i.mentions.some((m) => handles.has(m.toLowerCase()));
      if (mentionsYou) mentionCount++;
      return {
        kind: i.kind,
        label: LABEL[i.kind],
        parts,
        tags: tagsNotInText(i.text, i.tags),
        completed: i.completed === true,
        mentionsYou,
      };
    });
    return { name: p.name, items, hasBlockers: items.some((i) => i.kind === 'blocker') };
  });
  const c = frozen.counts;
  const summary = [
    `${frozen.people.length} ${frozen.people.length === 1 ? 'person' : 'people'}`,
    `${c.done} done`,
    `${c.goal} ${c.goal === 1 ? 'goal' : 'goals'}`,
    `${c.blocker} ${c.blocker === 1 ? 'blocker' : 'blockers'}`,
  ].join(' · ');
  return {
    teamName: frozen.teamName,
    date: frozen.date,
    dateLabel: formatDateLabel(frozen.date),
    people,
    mentionCount,
    summary,
  };
}
