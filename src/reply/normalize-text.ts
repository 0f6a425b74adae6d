/**
 * Text normalisation before any rule runs: line endings, invisible characters, non-breaking
 * spaces and RFC 3676 format=flowed. It owns nothing else; every later stage assumes its output.
 */

/**
 * Zero-width space/joiners, word joiner, BOM and soft hyphen are dropped: clients sprinkle them
 * around quote headers (Outlook web, Gmail) and they defeat every anchored pattern. NBSP, narrow
 * NBSP, figure space and the other Unicode spaces become a plain space.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const ODD_SPACE = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7F]/;

// Native regex replacement beats a hand-written loop by far on bodies with many matches.
function cleanCharacters(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.replace(INVISIBLE, '').replace(ODD_SPACE, ' ').normalize('NFC');
}

export function normalizeText(raw: string): string {
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  return cleanCharacters(text);
}

/**
 * Undo format=flowed soft breaks (RFC 3676 §4.2): a line ending in a space continues on the next
 * line with the same quote depth. The signature separator "-- " is never joined.
 */
export function unflow(text: string): string {
  const out: string[] = [];
  let pending: string | null = null;
  let pendingDepth = 0;
  for (const rawLine of text.split('\n')) {
    let depth = 0;
    while (depth < rawLine.length && rawLine.charCodeAt(depth) === 62 /* > */) depth++;
    let body = rawLine.slice(depth);
    if (body.startsWith(' ')) body = body.slice(1); // space-stuffing
    const soft = body.endsWith(' ') && body !== '-- ';
    if (pending !== null && depth === pendingDepth) {
      pending += body;
    } else {
      if (pending !== null) out.push(prefix(pendingDepth) + pending);
      pending = body;
      pendingDepth = depth;
    }
    if (!soft) {
      out.push(prefix(pendingDepth) + pending);
      pending = null;
    }
  }
  if (pending !== null) out.push(prefix(pendingDepth) + pending);
  return out.join('\n');
}

function prefix(depth: number): string {
  return depth === 0 ? '' : '>'.repeat(depth) + ' ';
}

/** The comparison form used by the corpus test and the scorer (issue 6, "Exact means …"). */
export function normalizeForComparison(text: string): string {
  return normalizeText(text)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
