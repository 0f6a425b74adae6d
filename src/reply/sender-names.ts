/**
 * The forms of the sender's own name a sign-off may use: the full name, the first name, the
 * first name and an initial, the initials, the address local part. They come from the From
 * display name, the names on record (a check-in member) and the address, so "Dana", "- Dana",
 * "—D", "Dana S.", "D.", "DS" and "dana.smith" all close a reply from Dana Smith.
 */
import type { HeaderBag, ReplyInput, ReplySender } from './types.js';

export interface SenderNames {
  /** Folded name forms (lower-case, no accents, single spaces): "dana smith", "dana", "dana s". */
  forms: Set<string>;
  /** Initials, upper-case, as written without dots: "DS", "D". */
  initials: Set<string>;
  /** First letters (folded) of every form and initial: a line starting otherwise is no name. */
  firsts: Set<string>;
  /** Longest form, in characters: a longer bare line is no name. */
  longest: number;
  /** The forms come from a name (From: display name, names on record), not the address alone. */
  named: boolean;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-case, accents removed, dots and dashes as spaces, single spaces. */
export function fold(text: string): string {
  const plain = ASCII.test(text) ? text : text.normalize('NFD').replace(/\p{M}+/gu, '');
  return plain
    .toLowerCase()
    .replace(/[.'’_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Smith, Dana" (Outlook's order) becomes "Dana Smith"; quotes and "(Acme)" go. */
function displayWords(name: string): string[] {
  let n = name.replace(/["“”]/g, '').replace(/\([^)]{0,80}\)|\[[^\]]{0,80}\]/g, ' ');
  const comma = n.split(',');
  if (comma.length === 2 && comma[0]!.trim() && comma[1]!.trim())
    n = `${comma[1]!.trim()} ${comma[0]!.trim()}`;
  return n
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}.]+$/gu, ''))
    .filter((w) => /\p{L}/u.test(w) && !w.includes('@'));
}

function addName(out: SenderNames, words: string[]): void {
  if (words.length === 0 || words.length > 5) return;
  const folded = words.map(fold).filter((w) => w !== '');
  if (folded.length === 0) return;
  const [first] = folded as [string];
  out.forms.add(folded.join(' '));
  if (first.length >= 2) out.forms.add(first);
  const last = folded[folded.length - 1]!;
  if (folded.length > 1) {
    out.forms.add(`${first} ${last[0]}`);
    out.forms.add(`${first[0]} ${last}`);
  }
  const initials = words.map((w) => w[0]!.toUpperCase()).join('');
  out.initials.add(initials);
  out.initials.add(initials[0]!);
  if (initials.length > 2) out.initials.add(initials[0]! + initials[initials.length - 1]!);
}

/** Members answer every day: the forms of recent senders are kept (a pure function's memo). */
const recent = new Map<string, SenderNames | null>();

export function senderNames(sender: ReplySender | undefined): SenderNames | null {
  if (!sender) return null;
  const key = `${sender.name ?? ''}\u0000${sender.address ?? ''}\u0000${(sender.otherNames ?? []).join('\u0000')}`;
  const known = recent.get(key);
  if (known !== undefined) return known;
  if (recent.size >= 256) recent.clear();
  const found = buildNames(sender);
  recent.set(key, found);
  return found;
}

function buildNames(sender: ReplySender): SenderNames | null {
  const out: SenderNames = {
    forms: new Set(),
    initials: new Set(),
    firsts: new Set(),
    longest: 0,
    named: false,
  };
  for (const name of [sender.name, ...(sender.otherNames ?? [])]) {
    if (typeof name === 'string' && name.trim() !== '') addName(out, displayWords(name));
  }
  out.named = out.forms.size > 0;
  const local = (sender.address ?? '').split('@')[0]?.split('+')[0] ?? '';
  const parts = local.split(/[._-]+/).filter((p) => /^\p{L}{2,}$/u.test(p));
  if (parts.length >= 1 && parts.length <= 3) {
    out.forms.add(fold(local));
    if (parts.length > 1) addName(out, parts);
  }
  if (out.forms.size === 0) return null;
  for (const f of [...out.forms, ...[...out.initials].map((i) => i.toLowerCase())]) {
    out.firsts.add(f[0]!);
    out.longest = Math.max(out.longest, f.length);
  }
  return out;
}

function header(headers: HeaderBag | undefined, name: string): unknown {
  if (!headers) return undefined;
  return headers instanceof Map ? headers.get(name) : headers[name];
}

/** The sender a parsed mail names in From:, when no context says who sent it. */
export function senderFromInput(input: ReplyInput): ReplySender | undefined {
  const value = (input.from ?? header(input.headers, 'from')) as
    { value?: ReadonlyArray<{ name?: string; address?: string }> } | undefined;
  const first = Array.isArray(value?.value) ? value.value[0] : undefined;
  if (!first) return undefined;
  return { name: first.name ?? null, address: first.address ?? null };
}

/** Leading decoration of a sign-off line: "- ", "—", "/", "~", "--". */
const LEAD = /^[\s>]*(?:[-–—~/*_]{1,2}\s*)?/u;
/** Trailing decoration: punctuation and closing marks. */
const TRAIL = /[\s.,;:!)\]*_]+$/u;

/** The line with its sign-off decoration removed. */
export function bareName(line: string): string {
  return line.replace(LEAD, '').replace(TRAIL, '');
}

const DECORATION = ' \t>-–—~/*_';

/** The line's first letter, after its sign-off decoration, folded: a cheap first refusal. */
function startsLikeName(line: string, names: SenderNames): boolean {
  let i = 0;
  while (i < line.length && DECORATION.includes(line[i]!)) i++;
  const c = line[i];
  if (c === undefined) return false;
  const folded = c.charCodeAt(0) < 128 ? c.toLowerCase() : fold(c);
  return names.firsts.has(folded);
}

/** The line is the sender's name (or initials), perhaps decorated: "- Dana", "Dana S.", "—D". */
export function isSenderName(line: string, names: SenderNames): boolean {
  // Cheap refusals first: most lines are longer than any name, or start with another letter.
  if (line.length > names.longest + 8 || !startsLikeName(line, names)) return false;
  const bare = bareName(line);
  if (bare === '' || bare.length > names.longest + 4) return false;
  // Initials are written in capitals: "DS", "D.S.", "D".
  const letters = bare.replace(/[.\s]+/g, '');
  if (/^\p{Lu}{1,3}$/u.test(letters) && names.initials.has(letters)) return true;
  return names.forms.has(fold(bare));
}

/**
 * The line opens with the sender's name and goes on with a title, company or contact field:
 * "Dana Smith | Head of Platform", "Dana Smith, Acme Inc.", "Dana – Platform team".
 */
export function startsWithSenderName(line: string, names: SenderNames): boolean {
  if (line.length > 120 || !startsLikeName(line, names)) return false;
  const m = /^(.{1,50}?)\s*(?:[|·•,]|\s[-–—]\s)\s*\S/u.exec(line.replace(LEAD, ''));
  return m !== null && isSenderName(m[1] ?? '', names);
}
