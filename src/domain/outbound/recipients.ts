/**
 * Address parsing and recipient limits. Addresses come in as `a@b.example` or
 * `Name <a@b.example>`; anything with CR/LF, angle brackets in odd places or no `@domain` is
 * refused, so an address can never smuggle a header.
 */

export const MAX_RECIPIENTS = 50;

export interface Mailbox {
  name: string | null;
  address: string;
}

const ADDR =
  /^[^\s@<>(),;:"\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
const NAMED = /^\s*"?([^"<>\r\n\0]*?)"?\s*<([^<>\s]+)>\s*$/;

export function parseMailbox(input: string): Mailbox | null {
  if (/[\r\n\0]/.test(input) || input.length > 320) return null;
  const named = NAMED.exec(input);
  const name = named ? named[1]!.trim() || null : null;
  const address = (named ? named[2]! : input).trim();
  // "localhost" is the one dotless domain we accept (the default MAIL_FROM of a fresh install).
  if (
    !(ADDR.test(address) || /^[^\s@<>(),;:"\\[\]]+@localhost$/i.test(address)) ||
    address.length > 254
  )
    return null;
  return { name, address };
}

/** The canonical form used for suppressions and rate-limit keys. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export function formatMailbox(m: Mailbox): string {
  if (!m.name) return m.address;
  const safe = m.name.replace(/["\\]/g, (c) => `\\${c}`);
  return `"${safe}" <${m.address}>`;
}
