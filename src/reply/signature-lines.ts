/**
 * What one line of a signature block looks like: a person's name, a job title, a company with a
 * legal suffix, a phone number, a link, an email or a social handle, a postal address, fields
 * separated by "|" or "·". A line of work ("Deployed https://status.acme.example", "Call with
 * ACME Ltd about renewal") is a sentence: mostly lower-case words, so it is not a field.
 * Every pattern runs on a capped line (lines.ts) and is anchored or linear.
 */
import { FIRST_NAMES } from './first-names.js';
import { capped } from './lines.js';
import { fold } from './sender-names.js';

const PHONE_LABEL =
  /^(?:t|m|p|f|o|d|c|tel|tél|phone|mobile|mob|cell|fax|office|direct|work|handy|telefon|tlf|mobil|gsm|móvil|movil|celular|cel|telefono|teléfono|telefone|téléphone|portable|puhelin|телефон|тел|моб|電話|携帯|전화|휴대폰)(?:\s*[:.]\s*|\s+)(?=[+(\d])/iu;
const PHONE = /(?:\+|00)?\(?\d[\d ()./-]{5,22}\d/u;
const URL = /(?:https?:\/\/|www\.)[^\s<>]{2,200}/giu;
const DOMAIN =
  /(?<![\p{L}\p{N}@.-])[a-z0-9-]{2,63}(?:\.[a-z0-9-]{2,63})*\.(?:com|org|net|io|co|dev|app|example|ai|me|eu|de|fr|uk|es|it|nl|pl|ru|se|dk|no|fi|jp|cn|kr|br|ch|at|be|pt|cz|tr|us|ca|au|in)(?:\/[^\s<>]{0,100})?(?![\p{L}\p{N}])/giu;
const EMAIL = /[^\s<>()[\]@"',;:]{1,64}@[^\s<>()[\]@"',;:]{1,100}\.[a-z]{2,24}/giu;
const HANDLE = /(?<![\p{L}\p{N}])@[\p{L}\p{N}_.]{2,30}/gu;
const SOCIAL =
  /^(?:twitter|x|linkedin|github|gitlab|mastodon|bluesky|instagram|skype|slack|signal|telegram|wechat|whatsapp|web|website|site|blog|email|e-mail|mail|w|e)\s*[:.]?\s*/iu;

const COMPANY =
  /(?:^|[\s,(])(?:inc|llc|l\.l\.c|ltd|limited|gmbh|ag|sas?|s\.a\.s?|sarl|s\.?r\.?l|s\.l|s\.p\.a|spa|b\.?v|n\.?v|ab|a\/s|asa|oy|oyj|pty|plc|corp|corporation|co|kg|kgaa|ohg|e\.v|ltda|k\.k|sp\. z o\.o|s\.r\.o|a\.s|a\.ş|s\.a\. de c\.v)\.?(?=$|[\s,.|·)])|株式会社|有限会社|合同会社|有限公司|公司|ООО|АО|ПАО|주식회사/iu;

const TITLE =
  /(?<![\p{L}])(?:engineer(?:ing)?|manager|director|head of|lead|developer|designer|founder|co-founder|ceo|cto|cfo|coo|cpo|cmo|cio|vp|svp|evp|vice president|president|chairman|consultant|analyst|architect|specialist|coordinator|officer|partner|associate|assistant|intern|recruiter|scientist|researcher|administrator|owner|product|marketing|sales|operations|account executive|customer success|staff|principal|senior|sr|jr|ingenieur(?:in)?|ingénieure?|ingeniera?o?|ingegnere|desarrollador(?:a)?|développeur|développeuse|entwickler(?:in)?|gerente|directeur|directrice|directora?|geschäftsführer(?:in)?|leiter(?:in)?|responsable|chef de projet|jefe|jefa|responsabile|sviluppatore|projektleiter(?:in)?|kierownik|programista|menedżer|менеджер|руководитель|разработчик|инженер|директор|desenvolvedora?|engenheir[ao]|utvecklare|udvikler|utvikler|kehittäjä|johtaja|mühendis|müdür|vedoucí|vývojář|mérnök|inginer|μηχανικός)(?![\p{L}])/iu;
const CJK_TITLE =
  /工程师|经理|总监|主管|エンジニア|部長|課長|マネージャー|代表取締役|엔지니어|팀장|매니저|대표/u;

const ADDRESS = [
  /\d{1,5}\s+[\p{L} .'-]{2,40}\s(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|way|drive|dr|court|ct|place|pl|square|sq)\.?(?=$|[\s,])/iu,
  /(?:straße|strasse|str\.|weg|platz|gasse|allee|laan|gracht|straat|gatan|vägen|gade|vej|katu|tie)\s*\d/iu,
  /(?:^|\s)(?:rue|avenue|boulevard|bd|calle|avenida|av\.|rua|via|viale|piazza|corso|ulica|ul\.|улица|ул\.|проспект|пр\.)\s+\p{L}/iu,
  /(?:^|\s)(?:suite|ste\.?|floor|fl\.|building|bldg\.?)\s+\d/iu,
  /^(?:\d{4,5}|\d{2}-\d{3}|\d{3}\s?\d{2}|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\s+\p{Lu}\p{L}+/u,
  /\p{Lu}\p{L}+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?/u,
  /〒\s?\d{3}-\d{4}/u,
];

/** Words a field line may hold in lower case: particles of names, titles and addresses. */
const SMALL = new Set(
  'of and & for the de du des la le van von der den da del di do dos das y e et und och og i at in on to bei chez zu für pour en'.split(
    ' ',
  ),
);

export interface LineFeatures {
  title: boolean;
  company: boolean;
  phone: boolean;
  link: boolean;
  address: boolean;
  fields: boolean;
}

const wordsOf = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));

/** Words left once links, emails, handles, phone numbers and their labels are removed. */
function leftover(line: string): string[] {
  const rest = line
    .replace(URL, ' ')
    .replace(EMAIL, ' ')
    .replace(DOMAIN, ' ')
    .replace(HANDLE, ' ')
    .split(/\s*[|·•,;]\s*/)
    .map((part) => part.trim().replace(SOCIAL, '').replace(PHONE_LABEL, ''))
    .join(' ')
    .replace(new RegExp(PHONE.source, 'gu'), ' ');
  return wordsOf(rest);
}

function digits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** A phone number: nine digits or more, or seven with a "+" or a label ("M:", "Tel."). */
function isPhoneLine(line: string): boolean {
  const m = PHONE.exec(line);
  if (m === null) return false;
  const n = digits(m[0]);
  const marked = m[0].startsWith('+') || m[0].startsWith('00') || PHONE_LABEL.test(line);
  return (n >= 9 || (marked && n >= 7)) && n <= 16 && leftover(line).length <= 2;
}

function isLinkLine(line: string): boolean {
  URL.lastIndex = EMAIL.lastIndex = DOMAIN.lastIndex = HANDLE.lastIndex = 0;
  const has =
    URL.test(line) || EMAIL.test(line) || DOMAIN.test(line) || /^(?:\S+\s*[:.]\s*)?@/.test(line);
  URL.lastIndex = EMAIL.lastIndex = DOMAIN.lastIndex = HANDLE.lastIndex = 0;
  return has && leftover(line).length <= 2;
}

function isFields(line: string): boolean {
  const parts = line.split(/\s[|·•]\s|\s{3,}/);
  return (
    parts.length >= 2 &&
    parts.every((p) => p.trim().length > 0 && p.trim().length <= 50 && isNameShape(p.trim(), 6))
  );
}

/** Capitalised (or caseless: CJK) words are at least half of the line's words, none too long. */
export function isTitleCase(line: string, maxWords = 6): boolean {
  const words = wordsOf(line);
  if (words.length === 0 || words.length > maxWords) return false;
  let upper = 0;
  for (const w of words) {
    const first = w.replace(/^[^\p{L}\p{N}&]+/u, '');
    if (/^(?:\p{Lu}|\p{Lo}|\p{N}|&)/u.test(first)) upper++;
    else if (!SMALL.has(first.toLowerCase())) upper -= 0.5;
  }
  return upper >= words.length / 2;
}

/** Features of recent lines: a block is scored from several starts, each line once. */
const seen = new Map<string, LineFeatures>();

/** Few words, a capital (or caseless) start, no sentence end: "Acme sp. z o.o.", "Ingeniera de software". */
function isNameShape(line: string, maxWords: number): boolean {
  const words = wordsOf(line);
  return (
    words.length <= maxWords &&
    /^\P{Ll}/u.test(line) &&
    !/[!?。]$/.test(line) &&
    !/\p{Ll}{4,}\.$/u.test(line)
  );
}

/** "Head of Platform", "Руководитель отдела": title-cased, or short with a capital start. */
function isTitleLine(line: string): boolean {
  return isTitleCase(line, 8) || isNameShape(line, 5);
}

export function features(raw: string): LineFeatures {
  const known = seen.get(raw);
  if (known) return known;
  if (seen.size >= 512) seen.clear();
  const found = computeFeatures(raw);
  seen.set(raw, found);
  return found;
}

function computeFeatures(raw: string): LineFeatures {
  const line = capped(raw).trim();
  const short = line.length <= 80;
  return {
    title: short && (TITLE.test(line) || CJK_TITLE.test(line)) && isTitleLine(line),
    company: short && COMPANY.test(line) && isNameShape(line, 8),
    phone: short && isPhoneLine(line),
    link: line.length <= 120 && isLinkLine(line),
    address: short && ADDRESS.some((re) => re.test(line)),
    fields: short && isFields(line),
  };
}

export const contactScore = (f: LineFeatures) =>
  Number(f.title) +
  Number(f.company) +
  Number(f.phone) +
  Number(f.link) +
  Number(f.address) +
  Number(f.fields);

/** "- item", "[ ] goal", "! blocker", "1. step", "#tag …": an entry, never a signature field. */
const ENTRY_MARKED = /^\s*(?:\[[ xX✓✔]?\]|!|[-*•]\s|\d{1,3}[.)]\s|#\p{L})/u;

/** A line that may sit inside a signature block: a field, a name or a short capitalised line. */
export function isFieldLike(raw: string): boolean {
  const line = capped(raw).trim();
  if (line.length === 0 || line.length > 100 || ENTRY_MARKED.test(line) || /[?？]$/.test(line))
    return false;
  if (contactScore(features(line)) > 0) return true;
  return isTitleCase(line) && !/[.!。]$/.test(line.replace(/\b\p{Lu}\.$/u, ''));
}

/** "Jane", "Jane Doe", "J. Doe", "Anna-Lena van Dijk", "田中", "Иван": a person's name, by shape. */
export function isPersonName(raw: string): boolean {
  const line = raw.trim().replace(/[,.]$/, '');
  if (line.length === 0 || line.length > 40 || /\d/.test(line)) return false;
  if (/^[\p{Lo}]{1,6}$/u.test(line)) return true;
  const words = line.split(/\s+/);
  if (words.length > 4) return false;
  return words.every(
    (w) => /^\p{Lu}[\p{L}'’-]*\.?$/u.test(w) || SMALL.has(w) || /^\p{Lu}\.$/u.test(w),
  );
}

/** A person's name whose first word is a common given name: "Jane Doe", not "Code Review". */
export function isKnownName(raw: string): boolean {
  if (!isPersonName(raw)) return false;
  const first = fold(raw.trim().split(/\s+/)[0] ?? '');
  return FIRST_NAMES.has(first);
}
