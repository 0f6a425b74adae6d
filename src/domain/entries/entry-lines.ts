/**
 * The line-level vocabulary of the entries grammar: bullets, kind markers, greetings, sign-offs
 * and section headings. Conservative on purpose: a line is only ignored when it is short and
 * matches one of these patterns whole.
 */
import { SIGN_OFF_WORDS } from './sign-offs.js';
import type { EntryKind } from './types.js';

/** "-", "*", "•", "–", "+", "1." or "1)" followed by a space. */
export const BULLET = /^(?:[-*•‣◦·–—+]|\d{1,3}[.)])\s+/u;

/** `[ ]`, `[]` → goal; `[x]`, `[X]`, `[✓]`, `[✔]` → completed goal. */
export const GOAL_MARKER = /^\[( ?|[xX✓✔])\]\s*/u;

/** `!` (once or more) → blocker. */
export const BLOCKER_MARKER = /^!+\s*/;

const GREETING_WORDS = [
  'hi',
  'hello',
  'hey',
  'hiya',
  'dear',
  'good morning',
  'good afternoon',
  'good evening',
  'morning',
  'greetings',
  'bonjour',
  'salut',
  'coucou',
  'hallo',
  'moin',
  'servus',
  'guten morgen',
  'guten tag',
  'hola',
  'buenos días',
  'buenas',
  'ciao',
  'buongiorno',
  'salve',
  'hoi',
  'goedemorgen',
  'dag',
  'hej',
  'hei',
  'moi',
  'terve',
  'cześć',
  'dzień dobry',
  'привет',
  'здравствуйте',
  'добрый день',
  'olá',
  'oi',
  'bom dia',
  'merhaba',
  'selam',
  'ahoj',
  'dobrý den',
  'こんにちは',
  'お疲れ様です',
  '안녕하세요',
  '你好',
  '大家好',
];

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (words: readonly string[]) =>
  words
    .map(escape)
    .sort((a, b) => b.length - a.length)
    .join('|');

/** "Hi team,", "Hello all!", "Bonjour à tous," — a greeting and at most a few words of address. */
const GREETING = new RegExp(
  `^(?:${alternation(GREETING_WORDS)})(?:(?:[\\s,]+[^\\s.!?,:;]+){0,3}\\s*[,!:]|(?:[\\s,]+[^\\s.!?,:;]+)?\\s*[,!.:]?)$`,
  'iu',
);
/** "Thanks,", "Best regards", "Viele Grüße" — the whole line. */
const SIGN_OFF = new RegExp(
  `^(?:${alternation(SIGN_OFF_WORDS)})(?:\\s+(?:again|all|so much|a lot|everyone|team))?\\s*[,.!！。，]*$`,
  'iu',
);

export function isGreeting(line: string): boolean {
  return line.length <= 40 && GREETING.test(line);
}

export function isSignOff(line: string): boolean {
  return line.length <= 40 && SIGN_OFF.test(line);
}

/** A name under a sign-off: one to four words, no digits, no list marker. */
export function isNameLine(line: string): boolean {
  return (
    line.length <= 40 &&
    !BULLET.test(line) &&
    !/\d|[[\]!#@:]/.test(line) &&
    line.split(/\s+/).length <= 4
  );
}

const HEADINGS: [RegExp, EntryKind][] = [
  [
    /^(?:done|did|today|yesterday|completed|finished|accomplished|fait|erledigt|heute|hecho|hoy|fatto|oggi|gedaan|vandaag|zrobione|dzisiaj|сделано|сегодня|feito|hoje|gjort|idag|i dag|tänään|bugün|今天|本日|今日|오늘)(?:\s+\p{L}+){0,2}$/iu,
    'done',
  ],
  [
    /^(?:goals?|next|tomorrow|plans?|todo|to do|to-do|up next|objectifs?|demain|morgen|ziele|mañana|objetivos|domani|obiettivi|plan|jutro|завтра|amanhã|imorgon|i morgen|huomenna|yarın|明天|明日|내일)(?:\s+\p{L}+){0,2}$/iu,
    'goal',
  ],
  [
    /^(?:blockers?|blocked|blocking|issues|problems|bloqué|blocages|blockiert|probleme|bloqueos?|bloccato|blocchi|geblokkeerd|blokady|блокеры|проблемы|bloqueios?|blockerad|estynyt|engeller|阻塞|ブロッカー|블로커)(?:\s+\p{L}+){0,2}$/iu,
    'blocker',
  ],
];

/**
 * A short line ending in a colon with nothing after it ("Done today:", "Tomorrow:") opens a
 * section. Returns the kind it sets, `null` for a heading with no known kind, or undefined when
 * the line is not a heading.
 */
/** "Blockers: none" reports no entry at all. */
export const NOTHING =
  /^(?:none|nothing|n\/a|na|no|nope|-+|—|keine|nichts|aucun|aucune|rien|ninguno|nada|nessuno|niente|geen|niets|brak|nic|нет|ничего|nenhum|inga|ingen|ei mitään|ei|yok|无|没有|なし|없음|žádné|nic)[.!]?$/iu;

/** "Blocked: waiting on legal", "Tomorrow: demo" — a known label, then the entry on the same line. */
export function labelledEntry(line: string): { kind: EntryKind; text: string } | null {
  const m = /^(.{1,30}?)\s*[:：]\s+(\S.*)$/u.exec(line);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  for (const [re, kind] of HEADINGS) if (re.test(m[1])) return { kind, text: m[2] };
  return null;
}

export function headingKind(line: string): EntryKind | null | undefined {
  const m = /^(.{1,40}?)\s*[:：]$/u.exec(line);
  if (!m || m[1] === undefined || BULLET.test(line)) return undefined;
  for (const [re, kind] of HEADINGS) if (re.test(m[1])) return kind;
  return null;
}
