/** Cookie parsing and the flags every dashboard cookie carries (httpOnly, SameSite=Lax, Secure). */
import type { Request, Response } from 'express';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookieFlags {
  secure: boolean;
}

export function setCookie(
  res: Response,
  flags: CookieFlags,
  name: string,
  value: string,
  options: { maxAgeSeconds?: number; expires?: Date } = {},
): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: flags.secure,
    path: '/',
    ...(options.expires ? { expires: options.expires } : {}),
    ...(options.maxAgeSeconds !== undefined ? { maxAge: options.maxAgeSeconds * 1000 } : {}),
  });
}

export function clearCookie(res: Response, flags: CookieFlags, name: string): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: flags.secure, path: '/' });
}
