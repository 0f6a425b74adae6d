/**
 * email-reply-parser as a second opinion. It runs only when our rules found no history at all,
 * only on short bodies with blank runs collapsed (its regexes span newlines with `\s*` and go
 * quadratic on whitespace), and we use only its quote-header decision: its signature rules
 * ("Regards" lines) would cut real content.
 */
import EmailReplyParser from 'email-reply-parser';
import { looksLikeHeader } from './header-blocks.js';
import { isQuoted } from './lines.js';

const MAX_LENGTH = 3_000;
const MAX_LINES = 80;

/** Index of the first line of a quote header the library found, or -1. */
export function emailReplyParserCut(lines: string[]): number {
  if (lines.length > 4 * MAX_LINES) return -1;
  const compact: string[] = [];
  const origin: number[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    if (line === '' && (compact.length === 0 || compact[compact.length - 1] === '')) continue;
    compact.push(line);
    origin.push(i);
    length += line.length + 1;
    if (length > MAX_LENGTH || compact.length > MAX_LINES) return -1;
  }
  const fragments = new EmailReplyParser().read(compact.join('\n')).getFragments();
  let offset = 0;
  for (const fragment of fragments) {
    const content = fragment.getContent();
    const fragmentLines = content.split('\n');
    if (fragment.isQuoted() && offset > 0) {
      const first = fragmentLines.find((l) => l.trim() !== '') ?? '';
      if (!isQuoted(first) && looksLikeHeader(first)) {
        for (let k = Math.max(0, offset - 1); k < compact.length; k++) {
          if ((compact[k] ?? '').trim() === first.trim()) return origin[k] ?? -1;
        }
      }
    }
    offset += fragmentLines.length;
  }
  return -1;
}
