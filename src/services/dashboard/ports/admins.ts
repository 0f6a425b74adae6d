/**
 * Sign-in's ports: `AdminRepository` (storage/repositories/admins.ts) and a mailer for login
 * links (main/ adapts the outbound engine to it).
 */
import type { Executor } from '../../ports.js';

export interface AdminUser {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  disabledAt: Date | null;
}

export interface AdminSession {
  id: string;
  adminUserId: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

export type NewAdminUser = Pick<AdminUser, 'id' | 'email' | 'createdAt'>;

/** A login link or a session; its secret is stored only as a SHA-256 hash (callers hash). */
interface NewToken {
  id: string;
  adminUserId: string;
  tokenHash: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

export type NewLoginToken = NewToken & { requestedIp: string | null };
export type NewAdminSession = NewToken & { userAgent: string | null };

/** admin_users, admin_login_tokens, admin_sessions (migration 0005). */
export interface AdminRepository {
  /** Inserts, or returns the existing user for that address (case-insensitive). */
  createUser(ex: Executor, u: NewAdminUser): Promise<{ user: AdminUser; created: boolean }>;
  findUserByEmail(ex: Executor, email: string): Promise<AdminUser | null>;
  listUsers(ex: Executor): Promise<AdminUser[]>;
  insertLoginToken(ex: Executor, t: NewLoginToken): Promise<void>;
  countLoginTokensSince(ex: Executor, adminUserId: string, since: Date): Promise<number>;
  /** Marks the link used if it is unused, unexpired and its user enabled; else null. */
  consumeLoginToken(ex: Executor, tokenHash: Buffer, now: Date): Promise<string | null>;
  isLoginTokenUsable(ex: Executor, tokenHash: Buffer, now: Date): Promise<boolean>;
  /** Also records the user's last sign-in. */
  insertSession(ex: Executor, s: NewAdminSession): Promise<void>;
  findActiveSession(ex: Executor, tokenHash: Buffer, now: Date): Promise<AdminSession | null>;
  touchSession(ex: Executor, id: string, now: Date): Promise<void>;
  revokeSession(ex: Executor, tokenHash: Buffer, now: Date): Promise<void>;
}

/** A plain system mail; the outbound engine queues it like any other message. */
export type LoginLinkMail = { to: string; subject: string; text: string; html: string };

export interface LoginLinkMailer {
  send(mail: LoginLinkMail): Promise<{ messageId: string }>;
}
