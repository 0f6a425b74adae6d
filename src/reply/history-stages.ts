/**
 * The history stages in their order: our own messages pasted back (when parents are given),
 * our "Reply above this line" marker, quoted history (history.ts), then email-reply-parser as a
 * last opinion when nothing found history. Returns what is left and everything that was cut.
 */
import { emailReplyParserCut } from './email-reply-parser-stage.js';
import { append, cutHistory } from './history.js';
import { isQuoted, SCAN_CAP } from './lines.js';
import { cutParents } from './parents.js';
import type { ReplyFlag, ReplyMethod } from './types.js';

/** Prompt emails carry this line; everything from it down is our own text. */
export const REPLY_MARKER = '## Reply above this line ##';

const MARKER_TEST =
  /reply above this line|r[ée]pondez au-dessus de cette ligne|oberhalb dieser zeile antworten/i;

function cutAtMarker(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (
      line.length > SCAN_CAP ||
      (line.indexOf('bove') < 0 && line.indexOf('essus') < 0 && line.indexOf('berhalb') < 0)
    )
      continue;
    // The marker line is the phrase and its decoration, not a sentence that mentions it.
    const core = line.replace(/^[\s>#*_=~-]+|[\s#*_=~-]+$/g, '');
    if (core.length <= 48 && MARKER_TEST.test(core)) return i;
  }
  return -1;
}

export interface HistoryStages {
  kept: string[];
  /** Everything cut, in reading order of the stages: pasted parents, history, the marker's tail. */
  quoted: string[];
  method: ReplyMethod;
  flags: Set<ReplyFlag>;
  /** Index of an unquoted marker line, or -1. */
  marker: number;
  /** The last non-blank line was kept: whatever follows the analysed part belongs to the reply. */
  tailKept: boolean;
}

export function cutKnownHistory(
  input: string[],
  parents: readonly string[] | undefined,
  useEmailReplyParser: boolean,
): HistoryStages {
  let lines = input;
  const flags = new Set<ReplyFlag>();
  let method: ReplyMethod = 'plain';
  // Our own messages pasted back, however they were quoted or wrapped, go first: their
  // attribution line may be in a language no rule knows.
  const pasted = parents ? cutParents(lines, parents) : { kept: lines, quoted: [] };
  if (pasted.quoted.length > 0) {
    lines = pasted.kept;
    flags.add('parent');
    method = 'parent';
  }
  // Unquoted, our marker means pasted history: cut to the end. Quoted, it only proves that its
  // quote block is history; a bottom-posted reply may follow it.
  const marker = cutAtMarker(lines);
  const historyLines: number[] = [];
  let markerTail: string[] = [];
  if (marker >= 0) {
    flags.add('marker');
    method = 'marker';
    if (isQuoted(lines[marker] ?? '')) historyLines.push(marker);
    else {
      markerTail = lines.slice(marker);
      lines = lines.slice(0, marker);
    }
  }
  const history = cutHistory(lines, historyLines);
  lines = history.kept;
  history.flags.forEach((f) => flags.add(f));
  if (history.method !== 'plain') method = history.method;
  const quoted: string[] = [];
  // email-reply-parser is a last opinion for a reply in which nothing found history yet.
  if (history.method === 'plain' && pasted.quoted.length === 0 && useEmailReplyParser) {
    const at = emailReplyParserCut(lines);
    if (at > 0) {
      append(quoted, lines, at);
      lines = lines.slice(0, at);
      flags.add('email-reply-parser');
      method = 'email-reply-parser';
    }
  }
  append(quoted, pasted.quoted);
  append(quoted, history.quoted);
  append(quoted, markerTail);
  return { kept: lines, quoted, method, flags, marker, tailKept: history.tailKept };
}
