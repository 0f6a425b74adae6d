/**
 * SQL for admin users, their login links and sessions (migration 0005). Token columns hold
 * SHA-256 hashes; callers hash before they ask. Consuming a link and revoking a session are
 * conditional UPDATEs, so two tabs racing on one link get one session between them.
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';

export interface AdminUserRow {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  disabledAt: Date | null;
}

export interface AdminSessionRow {
  id: string;
  adminUserId: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

interface UserDbRow {
  id: string;
  email: string;
  created_at: Date;
  last_login_at: Date | null;
  disabled_at: Date | null;
}

const toUser = (r: UserDbRow): AdminUserRow => ({
  id: r.id,
  email: r.email,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
  disabledAt: r.disabled_at,
});

export function createAdminStore(db: Executor) {
  return {
    /** Inserts, or returns the existing user for that address (case-insensitive). */
    async createUser(u: {
      id: string;
      email: string;
      createdAt: Date;
    }): Promise<{ user: AdminUserRow; created: boolean }> {
      const inserted = await query<UserDbRow>(
        db,
        `INSERT INTO admin_users (id, email, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (lower(email)) DO NOTHING
         RETURNING id, email, created_at, last_login_at, disabled_at`,
        [u.id, u.email, u.createdAt],
      );
      if (inserted.rows[0]) return { user: toUser(inserted.rows[0]), created: true };
      const existing = await this.findUserByEmail(u.email);
      if (!existing) throw new Error('admin user vanished during create');
      return { user: existing, created: false };
    },

    async findUserByEmail(email: string): Promise<AdminUserRow | null> {
      const r = await query<UserDbRow>(
        db,
        `SELECT id, email, created_at, last_login_at, disabled_at FROM admin_users WHERE lower(email) = lower($1)`,
        [email],
      );
      return r.rows[0] ? toUser(r.rows[0]) : null;
    },

    async listUsers(): Promise<AdminUserRow[]> {
      const r = await query<UserDbRow>(
        db,
        `SELECT id, email, created_at, last_login_at, disabled_at FROM admin_users ORDER BY lower(email)`,
      );
      return r.rows.map(toUser);
    },

    async insertLoginToken(t: {
      id: string;
      adminUserId: string;
      tokenHash: Buffer;
      createdAt: Date;
      expiresAt: Date;
      requestedIp: string | null;
    }): Promise<void> {
      await query(
        db,
        `INSERT INTO admin_login_tokens (id, admin_user_id, token_hash, created_at, expires_at, requested_ip)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [t.id, t.adminUserId, t.tokenHash, t.createdAt, t.expiresAt, t.requestedIp],
      );
    },

    async countLoginTokensSince(adminUserId: string, since: Date): Promise<number> {
      const r = await query<{ n: string }>(
        db,
        `SELECT count(*) AS n FROM admin_login_tokens WHERE admin_user_id = $1 AND created_at >= $2`,
        [adminUserId, since],
      );
      return Number(r.rows[0]?.n ?? 0);
    },

    /** Marks the link used if it is unused, unexpired and its user is enabled; else null. */
    async consumeLoginToken(tokenHash: Buffer, now: Date): Promise<string | null> {
      const r = await query<{ admin_user_id: string }>(
        db,
        `UPDATE admin_login_tokens t SET used_at = $2
           FROM admin_users u
          WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2
            AND u.id = t.admin_user_id AND u.disabled_at IS NULL
         RETURNING t.admin_user_id`,
        [tokenHash, now],
      );
      return r.rows[0]?.admin_user_id ?? null;
    },

    /** Whether a link is still usable, without using it (the confirm page asks first). */
    async isLoginTokenUsable(tokenHash: Buffer, now: Date): Promise<boolean> {
      const r = await query(
        db,
        `SELECT 1 FROM admin_login_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
        [tokenHash, now],
      );
      return r.rows.length > 0;
    },

    async insertSession(s: {
      id: string;
      adminUserId: string;
      tokenHash: Buffer;
      createdAt: Date;
      expiresAt: Date;
      userAgent: string | null;
    }): Promise<void> {
      await query(
        db,
        `INSERT INTO admin_sessions (id, admin_user_id, token_hash, created_at, last_seen_at, expires_at, user_agent)
         VALUES ($1, $2, $3, $4, $4, $5, $6)`,
        [s.id, s.adminUserId, s.tokenHash, s.createdAt, s.expiresAt, s.userAgent],
      );
      await query(db, `UPDATE admin_users SET last_login_at = $2 WHERE id = $1`, [
        s.adminUserId,
        s.createdAt,
      ]);
    },

    async findActiveSession(tokenHash: Buffer, now: Date): Promise<AdminSessionRow | null> {
      const r = await query<{
        id: string;
        admin_user_id: string;
        email: string;
        created_at: Date;
        expires_at: Date;
      }>(
        db,
        `SELECT s.id, s.admin_user_id, u.email, s.created_at, s.expires_at
           FROM admin_sessions s JOIN admin_users u ON u.id = s.admin_user_id
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled_at IS NULL`,
        [tokenHash, now],
      );
      const row = r.rows[0];
      return row
        ? {
            id: row.id,
            adminUserId: row.admin_user_id,
            email: row.email,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
          }
        : null;
    },

    /** last_seen_at is written at most once a minute per session, to keep reads cheap. */
    async touchSession(id: string, now: Date): Promise<void> {
      await query(
        db,
        `UPDATE admin_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2::timestamptz - interval '1 minute'`,
        [id, now],
      );
    },

    async revokeSession(tokenHash: Buffer, now: Date): Promise<void> {
      await query(
        db,
        `UPDATE admin_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`,
        [tokenHash, now],
      );
    },
  };
}

export type AdminStore = ReturnType<typeof createAdminStore>;
