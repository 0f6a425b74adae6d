/**
 * What the dashboard services need from outside: the admin store (storage/dashboard implements
 * it) and a mailer for login links (main/ adapts the outbound engine's sendMessage to it).
 */
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

export interface AdminStorePort {
  createUser(u: {
    id: string;
    email: string;
    createdAt: Date;
  }): Promise<{ user: AdminUser; created: boolean }>;
  findUserByEmail(email: string): Promise<AdminUser | null>;
  listUsers(): Promise<AdminUser[]>;
  insertLoginToken(t: {
    id: string;
    adminUserId: string;
    tokenHash: Buffer;
    createdAt: Date;
    expiresAt: Date;
    requestedIp: string | null;
  }): Promise<void>;
  countLoginTokensSince(adminUserId: string, since: Date): Promise<number>;
  consumeLoginToken(tokenHash: Buffer, now: Date): Promise<string | null>;
  isLoginTokenUsable(tokenHash: Buffer, now: Date): Promise<boolean>;
  insertSession(s: {
    id: string;
    adminUserId: string;
    tokenHash: Buffer;
    createdAt: Date;
    expiresAt: Date;
    userAgent: string | null;
  }): Promise<void>;
  findActiveSession(tokenHash: Buffer, now: Date): Promise<AdminSession | null>;
  touchSession(id: string, now: Date): Promise<void>;
  revokeSession(tokenHash: Buffer, now: Date): Promise<void>;
}

/** A plain system mail; the outbound engine queues it like any other message. */
export interface LoginLinkMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface LoginLinkMailer {
  send(mail: LoginLinkMail): Promise<{ messageId: string }>;
}
