/**
 * Line primitives every reply stage shares. Each detector looks only at a capped slice of a
 * line, which keeps the whole scan linear however long a line is.
 */

/** Longest slice of a line any detector looks at. */
export const SCAN_CAP = 400;

export function capped(line: string): string {
  return line.length > SCAN_CAP ? line.slice(0, SCAN_CAP) : line;
}

export function isQuoted(line: string): boolean {
  for (let i = 0; i < line.length && i < 8; i++) {
    const c = line.charCodeAt(i);
    if (c === 62 /* > */) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return false;
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}
