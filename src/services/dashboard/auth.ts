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
import type { AdminSession, AdminStorePort, LoginLinkMailer } from './ports.js';

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

export type LoginRequestOutcome =
  'sent' | 'unknown_address' | 'address_rate_limited' | 'mail_failed';

const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$|^[^\s@<>]+@localhost$/i;

export function isPlausibleEmail(v: string): boolean {
  return v.length <= 254 && EMAIL_RE.test(v);
}

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();
const newToken = (): string => randomBytes(32).toString('base64url');

export function createAuthService(deps: {
  store: AdminStorePort;
  mailer: LoginLinkMailer;
  clock: Clock;
  log: Logger;
  settings: AuthSettings;
}) {
  const { store, mailer, clock, log, settings } = deps;

  const csrfFor = (binding: string): string =>
    createHmac('sha256', settings.secretKey)
      .update(`dashboard-csrf\0${binding}`)
      .digest('base64url');

  return {
    /**
     * The caller shows the same answer whatever the outcome, so the form does not reveal which
     * addresses are admins; the outcome is for logs and tests.
     */
    async requestLoginLink(
      email: string,
      requestedIp: string | null,
      next = '/',
    ): Promise<LoginRequestOutcome> {
      const user = await store.findUserByEmail(email.trim());
      if (!user || user.disabledAt) return 'unknown_address';
      const now = clock.now();
      const windowStart = new Date(now.getTime() - settings.loginTokenTtlMinutes * 60_000);
      if (
        (await store.countLoginTokensSince(user.id, windowStart)) >= settings.maxLinksPerAddress
      ) {
        log.warn(
          { adminUserId: user.id },
          'login link not sent: too many recent links for this address',
        );
        return 'address_rate_limited';
      }
      const token = newToken();
      const expiresAt = new Date(now.getTime() + settings.loginTokenTtlMinutes * 60_000);
      await store.insertLoginToken({
        id: newId(now.getTime()),
        adminUserId: user.id,
        tokenHash: hashToken(token),
        createdAt: now,
        expiresAt,
        requestedIp,
      });
      // `next` was checked to be a same-site path by the caller; it only picks the landing page.
      const link = `${settings.publicUrl}/login/verify?token=${encodeURIComponent(token)}${next !== '/' ? `&next=${encodeURIComponent(next)}` : ''}`;
      if (settings.logLoginLinks)
        log.info({ email: user.email, link }, 'dashboard login link (development)');
      // A failure to queue the mail is logged, not shown: the form answers the same either way.
      try {
        await mailer.send({
          to: user.email,
          subject: 'Your Postroom sign-in link',
          text: `Sign in to Postroom:\n\n${link}\n\nThe link works once and expires in ${settings.loginTokenTtlMinutes} minutes. If you did not ask for it, ignore this mail.\n`,
          html: `<p>Sign in to Postroom:</p><p><a href="${escapeAttr(link)}">Sign in</a></p><p>The link works once and expires in ${settings.loginTokenTtlMinutes} minutes. If you did not ask for it, ignore this mail.</p>`,
        });
      } catch (err) {
        log.error({ err, adminUserId: user.id }, 'login link could not be queued for sending');
        return 'mail_failed';
      }
      return 'sent';
    },

    async isLoginLinkUsable(token: string): Promise<boolean> {
      return store.isLoginTokenUsable(hashToken(token), clock.now());
    },

    /** Exchanges a link for a session token (the cookie value), or null if it is spent/expired. */
    async completeLogin(
      token: string,
      userAgent: string | null,
    ): Promise<{ sessionToken: string; expiresAt: Date } | null> {
      const now = clock.now();
      const adminUserId = await store.consumeLoginToken(hashToken(token), now);
      if (!adminUserId) return null;
      const sessionToken = newToken();
      const expiresAt = new Date(now.getTime() + settings.sessionTtlHours * 3_600_000);
      await store.insertSession({
        id: newId(now.getTime()),
        adminUserId,
        tokenHash: hashToken(sessionToken),
        createdAt: now,
        expiresAt,
        userAgent: userAgent ? userAgent.slice(0, 300) : null,
      });
      return { sessionToken, expiresAt };
    },

    async resolveSession(sessionToken: string): Promise<AdminSession | null> {
      const now = clock.now();
      const session = await store.findActiveSession(hashToken(sessionToken), now);
      if (session) await store.touchSession(session.id, now);
      return session;
    },

    async logout(sessionToken: string): Promise<void> {
      await store.revokeSession(hashToken(sessionToken), clock.now());
    },

    /** The CSRF token for a binding (a session id, or the anonymous form cookie). */
    csrfToken(binding: string): string {
      return csrfFor(binding);
    },

    checkCsrf(binding: string, given: unknown): boolean {
      if (typeof given !== 'string' || given.length === 0) return false;
      const a = Buffer.from(csrfFor(binding));
      const b = Buffer.from(given);
      return a.length === b.length && timingSafeEqual(a, b);
    },

    async createAdmin(email: string): Promise<{ id: string; email: string; created: boolean }> {
      const trimmed = email.trim();
      if (!isPlausibleEmail(trimmed))
        throw new ValidationError(`Not an email address: ${email}`, undefined, 'invalid_email');
      const now = clock.now();
      const { user, created } = await store.createUser({
        id: newId(now.getTime()),
        email: trimmed,
        createdAt: now,
      });
      return { id: user.id, email: user.email, created };
    },

    listAdmins: () => store.listUsers(),
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
