/**
 * The entries grammar: reply text → lines → entries. One line is one entry. Bullets are
 * stripped; `[ ]`/`[]` makes a goal, `[x]` a completed goal, `!` a blocker, anything else is
 * done (or the kind of the section heading above it). `#tags` and `@mentions` are collected.
 * Greetings at the top, a sign-off block at the bottom, headings, rules, quoted lines (kept by the
 * reply extractor's inline policy) and blank lines produce no entry.
 */
import {
  BLOCKER_MARKER,
  BULLET,
  GOAL_MARKER,
  headingKind,
  isGreeting,
  isNameLine,
  isSignOff,
  labelledEntry,
  NOTHING,
} from './entry-lines.js';
import type { Entry, EntryKind, ParseEntriesOptions } from './types.js';

export const DEFAULT_MAX_ENTRY_LENGTH = 500;

const TAG = /(?:^|[\s(,;])#([\p{L}\p{N}_][\p{L}\p{N}_-]{0,49})/gu;
const MENTION = /(?:^|[\s(,;])@([\p{L}\p{N}_][\p{L}\p{N}_.-]{0,63})/gu;

/** Lower-cased, NFC, markers and bullets removed, spaces collapsed, trailing punctuation dropped. */
export function normalizeEntryText(text: string): string {
  let t = text.normalize('NFC').trim();
  t = t
    .replace(BULLET, '')
    .replace(GOAL_MARKER, '')
    .replace(BLOCKER_MARKER, '')
    .replace(BULLET, '');
  return t
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?,;:。！？]+$/u, '')
    .trim();
}

function collect(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const v = (m[1] ?? '').replace(/[.\-_]+$/, '').toLowerCase();
    // "#412" is an issue number, not a tag.
    if (v && /\p{L}/u.test(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

/** The #tags written in a text, lower-cased, in order: what an entry's `tags` are made of. */
export function tagsIn(text: string): string[] {
  return collect(TAG, text);
}

function cut(text: string, max: number): { text: string; truncated: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, truncated: false };
  return {
    text:
      chars
        .slice(0, Math.max(1, max - 1))
        .join('')
        .trimEnd() + '…',
    truncated: true,
  };
}

/** Index of the first line of a trailing sign-off block ("Thanks,\nJane"), or lines.length. */
function signOffStart(lines: string[]): number {
  const filled = lines.map((l, i) => [l.trim(), i] as const).filter(([l]) => l !== '');
  for (let k = Math.max(0, filled.length - 4); k < filled.length; k++) {
    const [line, index] = filled[k] as readonly [string, number];
    if (!isSignOff(line.replace(BULLET, ''))) continue;
    const after = filled.slice(k + 1);
    if (after.length <= 3 && after.every(([l]) => isNameLine(l))) return index;
  }
  return lines.length;
}

export function parseEntries(text: string, options: ParseEntriesOptions = {}): Entry[] {
  const max = options.maxLength ?? DEFAULT_MAX_ENTRY_LENGTH;
  const dedupe = options.dedupe ?? true;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const end = signOffStart(lines);
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let section: EntryKind = 'done';
  let first = true;

  for (let i = 0; i < end; i++) {
    const line = (lines[i] ?? '')
      .replace(/[\u00A0\u2000-\u200A\u202F\u3000]/g, ' ')
      .replace(/[\u200B-\u200D\uFEFF]/g, '')
      .trim();
    if (line === '') {
      section = 'done';
      continue;
    }
    const wasFirst = first;
    first = false;
    if (wasFirst && isGreeting(line)) continue;
    if (line.startsWith('>') || /^(?:[-_=*~]\s*){3,}$/.test(line)) continue;
    const heading = headingKind(line);
    if (heading !== undefined) {
      section = heading ?? 'done';
      continue;
    }

    let body = line.replace(BULLET, '');
    let kind: EntryKind = section;
    const labelled = labelledEntry(body);
    if (labelled) {
      if (NOTHING.test(labelled.text.trim())) continue;
      kind = labelled.kind;
      body = labelled.text;
    }
    let completed = false;
    const goal = GOAL_MARKER.exec(body);
    if (goal) {
      kind = 'goal';
      completed = (goal[1] ?? '').trim() !== '';
      body = body.slice(goal[0].length);
    } else {
      const blocker = BLOCKER_MARKER.exec(body);
      if (blocker) {
        kind = 'blocker';
        body = body.slice(blocker[0].length);
      }
    }
    body = body.replace(BULLET, '').trim();
    if (body === '') continue;

    const key = `${kind}:${normalizeEntryText(body)}`;
    if (dedupe && seen.has(key)) continue;
    seen.add(key);
    const { text: clipped, truncated } = cut(body, max);
    entries.push({
      kind,
      text: clipped,
      completed,
      tags: tagsIn(body),
      mentions: collect(MENTION, body),
      line: i,
      truncated,
    });
  }
  return entries;
}
