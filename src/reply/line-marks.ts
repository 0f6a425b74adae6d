/**
 * Line marks for the history cut: each line is empty, quoted or text, with the repairs clients
 * need (a wrapped link inside a quote block, a reply sharing its line with "On … wrote:").
 */
import { isQuoted } from './lines.js';
import { midlineAttribution } from './quote-headers.js';

/** Each line's kind: empty, quoted (a `>` line), or text. */
export type Mark = 'e' | 'm' | 't';

const BARE_LINK = /^\s*[(<[]?(?:https?:\/\/|mailto:)[^\s]{1,300}[)>\]]?\s*>?\s*$/i;

export function mark(lines: string[]): Mark[] {
  const marks: Mark[] = new Array<Mark>(lines.length);
  let openLink = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') marks[i] = 'e';
    // "See <http://…\n> for more": a link broken by the client, not a quote (talon preprocess).
    else if (isQuoted(line) && !openLink) marks[i] = 'm';
    else marks[i] = 't';
    const lt = line.lastIndexOf('<');
    openLink =
      lt >= 0 &&
      lt > line.lastIndexOf('>') &&
      /^<?https?:|^<mailto:/i.test(line.slice(lt + 1, lt + 12) || 'x');
  }
  // A long link the client wrapped out of a quote block is still part of it (talon does the same).
  for (let i = 1; i < lines.length - 1; i++) {
    if (
      marks[i] === 't' &&
      marks[i - 1] === 'm' &&
      marks[i + 1] === 'm' &&
      BARE_LINK.test(lines[i] ?? '')
    )
      marks[i] = 'm';
  }
  return marks;
}

/** Splits "reply On … wrote:" so the reply part stays on its own line. */
export function splitSharedLines(lines: string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const at = midlineAttribution(line);
    if (at < 0) continue;
    out ??= lines.slice(0, i);
    out.push(
      line
        .slice(0, at)
        .replace(/-+\s*$/, '')
        .trimEnd(),
      line.slice(at),
    );
    for (let j = i + 1; j < lines.length; j++) {
      const rest = lines[j] ?? '';
      out.push(rest);
    }
    return out;
  }
  return out ?? lines;
}

export function countQuoted(marks: Mark[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (marks[i] === 'm') n++;
  return n;
}

/** End (exclusive) of the quote run starting at `from`: quoted and blank lines. */
export function quoteRunEnd(marks: Mark[], from: number): number {
  let end = from;
  let i = from;
  while (i < marks.length && marks[i] !== 't') {
    i++;
    if (marks[i - 1] === 'm') end = i;
  }
  return end;
}

export function nextNonEmpty(marks: Mark[], from: number): number {
  let i = from;
  while (i < marks.length && marks[i] === 'e') i++;
  return i;
}
