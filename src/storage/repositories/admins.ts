/**
 * Admin users, their login links and sessions (migration 0005): the `AdminRepository`. Token
 * columns hold SHA-256 hashes; callers hash before they ask. Consuming a link and revoking a
 * session are conditional UPDATEs, so two tabs racing on one link get one session between them.
 */
import { one, query, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  AdminSession,
  AdminUser,
  NewAdminSession,
  NewAdminUser,
  NewLoginToken,
} from '../../services/dashboard/ports/index.js';

interface UserDbRow {
  id: string;
  email: string;
  created_at: Date;
  last_login_at: Date | null;
  disabled_at: Date | null;
}

const USER_COLUMNS = 'id, email, created_at, last_login_at, disabled_at';

const toUser = (r: UserDbRow): AdminUser => ({
  id: r.id,
  email: r.email,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
  disabledAt: r.disabled_at,
});

/** Inserts, or returns the existing user for that address (case-insensitive). */
export async function createUser(
  ex: Executor,
  u: NewAdminUser,
): Promise<{ user: AdminUser; created: boolean }> {
  const inserted = await one<UserDbRow>(
    ex,
    `INSERT INTO admin_users (id, email, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (lower(email)) DO NOTHING
     RETURNING ${USER_COLUMNS}`,
    [u.id, u.email, u.createdAt],
  );
  if (inserted) return { user: toUser(inserted), created: true };
  const existing = await findUserByEmail(ex, u.email);
  if (!existing) throw new Error('admin user vanished during create');
  return { user: existing, created: false };
}

export async function findUserByEmail(ex: Executor, email: string): Promise<AdminUser | null> {
  const r = await one<UserDbRow>(
    ex,
    `SELECT ${USER_COLUMNS} FROM admin_users WHERE lower(email) = lower($1)`,
    [email],
  );
  return r ? toUser(r) : null;
}

export async function listUsers(ex: Executor): Promise<AdminUser[]> {
  const r = await rows<UserDbRow>(
    ex,
    `SELECT ${USER_COLUMNS} FROM admin_users ORDER BY lower(email)`,
  );
  return r.map(toUser);
}

export async function insertLoginToken(ex: Executor, t: NewLoginToken): Promise<void> {
  await query(
    ex,
    `INSERT INTO admin_login_tokens (id, admin_user_id, token_hash, created_at, expires_at, requested_ip)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [t.id, t.adminUserId, t.tokenHash, t.createdAt, t.expiresAt, t.requestedIp],
  );
}

export async function countLoginTokensSince(
  ex: Executor,
  adminUserId: string,
  since: Date,
): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    `SELECT count(*) AS n FROM admin_login_tokens WHERE admin_user_id = $1 AND created_at >= $2`,
    [adminUserId, since],
  );
  return r?.n ?? 0;
}

/** Marks the link used if it is unused, unexpired and its user is enabled; else null. */
export async function consumeLoginToken(
  ex: Executor,
  tokenHash: Buffer,
  now: Date,
): Promise<string | null> {
  const r = await one<{ admin_user_id: string }>(
    ex,
    `UPDATE admin_login_tokens t SET used_at = $2
       FROM admin_users u
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2
        AND u.id = t.admin_user_id AND u.disabled_at IS NULL
     RETURNING t.admin_user_id`,
    [tokenHash, now],
  );
  return r?.admin_user_id ?? null;
}

/** Whether a link is still usable, without using it (the confirm page asks first). */
export async function isLoginTokenUsable(
  ex: Executor,
  tokenHash: Buffer,
  now: Date,
): Promise<boolean> {
  const r = await rows(
    ex,
    `SELECT 1 FROM admin_login_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
    [tokenHash, now],
  );
  return r.length > 0;
}

/** Opens a session and records the sign-in on its user. */
export async function insertSession(ex: Executor, s: NewAdminSession): Promise<void> {
  await query(
    ex,
    `INSERT INTO admin_sessions (id, admin_user_id, token_hash, created_at, last_seen_at, expires_at, user_agent)
     VALUES ($1, $2, $3, $4, $4, $5, $6)`,
    [s.id, s.adminUserId, s.tokenHash, s.createdAt, s.expiresAt, s.userAgent],
  );
  await query(ex, `UPDATE admin_users SET last_login_at = $2 WHERE id = $1`, [
    s.adminUserId,
    s.createdAt,
  ]);
}

export async function findActiveSession(
  ex: Executor,
  tokenHash: Buffer,
  now: Date,
): Promise<AdminSession | null> {
  const row = await one<{
    id: string;
    admin_user_id: string;
    email: string;
    created_at: Date;
    expires_at: Date;
  }>(
    ex,
    `SELECT s.id, s.admin_user_id, u.email, s.created_at, s.expires_at
       FROM admin_sessions s JOIN admin_users u ON u.id = s.admin_user_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [tokenHash, now],
  );
  return row
    ? {
        id: row.id,
        adminUserId: row.admin_user_id,
        email: row.email,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    : null;
}

/** last_seen_at is written at most once a minute per session, to keep reads cheap. */
export async function touchSession(ex: Executor, id: string, now: Date): Promise<void> {
  await query(
    ex,
    `UPDATE admin_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2::timestamptz - interval '1 minute'`,
    [id, now],
  );
}

export async function revokeSession(ex: Executor, tokenHash: Buffer, now: Date): Promise<void> {
  await query(
    ex,
    `UPDATE admin_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`,
    [tokenHash, now],
  );
}
