/**
 * Admin sign-in by magic link: request a link (mailed through Postroom's own outbound engine),
 * exchange it once for a session, resolve a session cookie, sign out. Also derives the CSRF
 * token bound to a session. Tokens are random 256-bit values; only their hashes are stored.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../ports.js';
import type { AdminRepository, AdminSession, AdminUser, LoginLinkMailer } from './ports/index.js';

export interface AuthSettings {
  publicUrl: string;
  secretKey: string;
  loginTokenTtlMinutes: number;
  sessionTtlHours: number;
  /** Links mailed per address within `loginTokenTtlMinutes`; more are silently not sent. */
  maxLinksPerAddress: number;
  /** Development: also write the link to the log, so no mail setup is needed to sign in. */
  logLoginLinks: boolean;
}

export interface AuthDeps {
  db: Database;
  admins: AdminRepository;
  mailer: LoginLinkMailer;
  clock: Clock;
  log: Logger;
  settings: AuthSettings;
}

export type LoginRequestOutcome =
  'sent' | 'unknown_address' | 'address_rate_limited' | 'mail_failed';

const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$|^[^\s@<>]+@localhost$/i;

export function isPlausibleEmail(v: string): boolean {
  return v.length <= 254 && EMAIL_RE.test(v);
}

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();
const newToken = (): string => randomBytes(32).toString('base64url');
const minutesFrom = (t: Date, minutes: number): Date => new Date(t.getTime() + minutes * 60_000);

/**
 * The caller shows the same answer whatever the outcome, so the form does not reveal which
 * addresses are admins; the outcome is for logs and tests.
 */
export async function requestLoginLink(
  deps: AuthDeps,
  email: string,
  requestedIp: string | null,
  next = '/',
): Promise<LoginRequestOutcome> {
  const user = await deps.admins.findUserByEmail(deps.db, email.trim());
  if (!user || user.disabledAt) return 'unknown_address';
  const now = deps.clock.now();
  if (await tooManyRecentLinks(deps, user, now)) return 'address_rate_limited';
  const token = await issueLoginToken(deps, user, requestedIp, now);
  return mailLoginLink(deps, user, loginLinkUrl(deps.settings, token, next));
}

/** A mailbox flooded with links is worse than a user who waits for the window to pass. */
async function tooManyRecentLinks(deps: AuthDeps, user: AdminUser, now: Date): Promise<boolean> {
  const { settings } = deps;
  const windowStart = minutesFrom(now, -settings.loginTokenTtlMinutes);
  const recent = await deps.admins.countLoginTokensSince(deps.db, user.id, windowStart);
  if (recent < settings.maxLinksPerAddress) return false;
  deps.log.warn(
    { adminUserId: user.id },
    'login link not sent: too many recent links for this address',
  );
  return true;
}

async function issueLoginToken(
  deps: AuthDeps,
  user: AdminUser,
  requestedIp: string | null,
  now: Date,
): Promise<string> {
  const token = newToken();
  await deps.admins.insertLoginToken(deps.db, {
    id: newId(now.getTime()),
    adminUserId: user.id,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt: minutesFrom(now, deps.settings.loginTokenTtlMinutes),
    requestedIp,
  });
  return token;
}

/** `next` was checked to be a same-site path by the caller; it only picks the landing page. */
function loginLinkUrl(settings: AuthSettings, token: string, next: string): string {
  const landing = next !== '/' ? `&next=${encodeURIComponent(next)}` : '';
  return `${settings.publicUrl}/login/verify?token=${encodeURIComponent(token)}${landing}`;
}

/** A failure to queue the mail is logged, not shown: the form answers the same either way. */
async function mailLoginLink(
  deps: AuthDeps,
  user: AdminUser,
  link: string,
): Promise<LoginRequestOutcome> {
  const { log, settings } = deps;
  if (settings.logLoginLinks)
    log.info({ email: user.email, link }, 'dashboard login link (development)');
  const ttl = settings.loginTokenTtlMinutes;
  try {
    await deps.mailer.send({
      to: user.email,
      subject: 'Your Postroom sign-in link',
      text: `Sign in to Postroom:\n\n${link}\n\nThe link works once and expires in ${ttl} minutes. If you did not ask for it, ignore this mail.\n`,
      html: `<p>Sign in to Postroom:</p><p><a href="${escapeAttr(link)}">Sign in</a></p><p>The link works once and expires in ${ttl} minutes. If you did not ask for it, ignore this mail.</p>`,
    });
  } catch (err) {
    log.error({ err, adminUserId: user.id }, 'login link could not be queued for sending');
    return 'mail_failed';
  }
  return 'sent';
}

export async function isLoginLinkUsable(deps: AuthDeps, token: string): Promise<boolean> {
  return deps.admins.isLoginTokenUsable(deps.db, hashToken(token), deps.clock.now());
}

/**
 * Exchanges a link for a session token (the cookie value), or null if it is spent/expired.
 * One transaction: the link is spent only if its session exists.
 */
export async function completeLogin(
  deps: AuthDeps,
  token: string,
  userAgent: string | null,
): Promise<{ sessionToken: string; expiresAt: Date } | null> {
  const { admins, settings } = deps;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const adminUserId = await admins.consumeLoginToken(tx, hashToken(token), now);
    if (!adminUserId) return null;
    const sessionToken = newToken();
    const expiresAt = minutesFrom(now, settings.sessionTtlHours * 60);
    await admins.insertSession(tx, {
      id: newId(now.getTime()),
      adminUserId,
      tokenHash: hashToken(sessionToken),
      createdAt: now,
      expiresAt,
      userAgent: userAgent ? userAgent.slice(0, 300) : null,
    });
    return { sessionToken, expiresAt };
  });
}

export async function resolveSession(
  deps: AuthDeps,
  sessionToken: string,
): Promise<AdminSession | null> {
  const now = deps.clock.now();
  const session = await deps.admins.findActiveSession(deps.db, hashToken(sessionToken), now);
  if (session) await deps.admins.touchSession(deps.db, session.id, now);
  return session;
}

export async function logout(deps: AuthDeps, sessionToken: string): Promise<void> {
  await deps.admins.revokeSession(deps.db, hashToken(sessionToken), deps.clock.now());
}

/** The CSRF token for a binding (a session id, or the anonymous form cookie). */
export function csrfToken(settings: AuthSettings, binding: string): string {
  return createHmac('sha256', settings.secretKey)
    .update(`dashboard-csrf\0${binding}`)
    .digest('base64url');
}

export function checkCsrf(settings: AuthSettings, binding: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(csrfToken(settings, binding));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function createAdmin(
  deps: AuthDeps,
  email: string,
): Promise<{ id: string; email: string; created: boolean }> {
  const trimmed = email.trim();
  if (!isPlausibleEmail(trimmed))
    throw new ValidationError(`Not an email address: ${email}`, undefined, 'invalid_email');
  const now = deps.clock.now();
  const { user, created } = await deps.admins.createUser(deps.db, {
    id: newId(now.getTime()),
    email: trimmed,
    createdAt: now,
  });
  return { id: user.id, email: user.email, created };
}

export function listAdmins(deps: AuthDeps): Promise<AdminUser[]> {
  return deps.admins.listUsers(deps.db);
}

export function createAuthService(deps: AuthDeps) {
  return {
    requestLoginLink: (email: string, requestedIp: string | null, next?: string) =>
      requestLoginLink(deps, email, requestedIp, next),
    isLoginLinkUsable: (token: string) => isLoginLinkUsable(deps, token),
    completeLogin: (token: string, userAgent: string | null) =>
      completeLogin(deps, token, userAgent),
    resolveSession: (sessionToken: string) => resolveSession(deps, sessionToken),
    logout: (sessionToken: string) => logout(deps, sessionToken),
    csrfToken: (binding: string) => csrfToken(deps.settings, binding),
    checkCsrf: (binding: string, given: unknown) => checkCsrf(deps.settings, binding, given),
    createAdmin: (email: string) => createAdmin(deps, email),
    listAdmins: () => listAdmins(deps),
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function escapeAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
