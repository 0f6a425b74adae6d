/**
 * A digest stays readable in every inbox. Gmail clips a message above 102 KB and hides the rest
 * behind a link most readers never click, so a digest's HTML is kept under DIGEST_HTML_BUDGET.
 * Above it, the mail keeps every person's blockers and first lines, in the digest's order
 * (people with blockers first), as long as they fit, and says what the web archive holds besides.
 */
import type { DigestItemView, DigestPerson, DigestView } from './digest-view.js';

/** Bytes of HTML a digest mail may take: under Gmail's 102 KB clipping, with room for headers. */
export const DIGEST_HTML_BUDGET = 90 * 1024;

/** Lines kept per person besides their blockers, once a digest must be shortened. */
export const FIRST_LINES = 2;

/** Markup around one line and one person in the digest template, generously counted. */
const LINE_BYTES = 260;
const PERSON_BYTES = 120;
/** The heading, summary and footer of the mail. */
export const FRAME_BYTES = 2048;

function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 2 : 3;
  }
  return n;
}

function itemBytes(item: DigestItemView): number {
  let n = LINE_BYTES;
  for (const p of item.parts) n += utf8Bytes(p.text) * 1.2; // escaping
  for (const t of item.tags) n += 60 + t.length;
  return n;
}

/** What a digest's HTML will weigh, within a few percent, without rendering it. */
export function estimateDigestBytes(view: DigestView): number {
  let n = FRAME_BYTES + utf8Bytes(view.teamName) + utf8Bytes(view.summary);
  for (const p of view.people) {
    n += PERSON_BYTES + utf8Bytes(p.name);
    for (const i of p.items) n += itemBytes(i);
  }
  return n;
}

/** A person's blockers and first lines: what a shortened digest shows of them. */
function firstLines(p: DigestPerson): DigestItemView[] {
  const blockers = p.items.filter((i) => i.kind === 'blocker');
  const others = p.items.filter((i) => i.kind !== 'blocker').slice(0, FIRST_LINES);
  return [...blockers, ...others];
}

/**
 * The digest within `budget` bytes: unchanged when it fits; otherwise each person's blockers
 * and first lines while they fit, with `more` per person and `trimmed` for what is left out.
 * The first person is always shown, so a shortened digest is never empty.
 */
export function trimDigest(view: DigestView, budget = DIGEST_HTML_BUDGET): DigestView {
  if (estimateDigestBytes(view) <= budget) return view;
  let used = FRAME_BYTES + 400;
  const people: DigestPerson[] = [];
  let hiddenItems = 0;
  let hiddenPeople = 0;
  for (const p of view.people) {
    const items = firstLines(p);
    const cost = PERSON_BYTES + utf8Bytes(p.name) + items.reduce((a, i) => a + itemBytes(i), 0);
    if (people.length > 0 && used + cost > budget) {
      hiddenPeople++;
      hiddenItems += p.items.length;
      continue;
    }
    used += cost;
    const more = p.items.length - items.length;
    hiddenItems += more;
    people.push({ ...p, items, ...(more > 0 ? { more } : {}) });
  }
  return { ...view, people, trimmed: { people: hiddenPeople, items: hiddenItems } };
}
