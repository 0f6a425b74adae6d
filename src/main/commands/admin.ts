/**
 * `postroom admin create --email a@b.c` adds an operator who may sign in to the dashboard (by a
 * magic link mailed to that address); `postroom admin list` shows them. Idempotent: creating an
 * existing address reports it and exits 0.
 */
import { parseArgs } from 'node:util';
import { newId } from '../../lib/ids.js';
import { isPlausibleEmail } from '../../services/dashboard/auth.js';
import type { Executor } from '../../services/ports.js';
import { repositories } from '../../storage/index.js';
import type { CommandContext } from './context.js';

const USAGE = `Usage:
  postroom admin create --email <address>   add a dashboard administrator
  postroom admin list                       list administrators`;

export interface AdminCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Runs `fn` with a database handle (the CLI opens the app's database). */
  withDb<T>(fn: (db: Executor) => Promise<T>): Promise<T>;
}

export function adminIoFrom(ctx: CommandContext): AdminCommandIo {
  return {
    out: ctx.out,
    err: (line) => process.stderr.write(`${line}\n`),
    withDb: (fn) => ctx.withContainer((c) => fn(c.db)),
  };
}

/** The CLI entry (COMMANDS.admin in cli.ts). */
export function runAdminCommand(argv: string[], ctx: CommandContext): Promise<number> {
  return runAdmin(argv, adminIoFrom(ctx));
}

export async function runAdmin(argv: string[], io: AdminCommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  let values: { email?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`postroom admin: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (sub === 'create') {
    const email = values.email?.trim();
    if (!email || !isPlausibleEmail(email)) {
      io.err(
        `postroom admin create: --email must be an email address${email ? ` (got "${email}")` : ''}\n${USAGE}`,
      );
      return 2;
    }
    return io.withDb(async (db) => {
      const now = new Date();
      const { user, created } = await repositories.admins.createUser(db, {
        id: newId(now.getTime()),
        email,
        createdAt: now,
      });
      io.out(
        created
          ? `admin created: ${user.email} (${user.id})`
          : `admin already exists: ${user.email} (${user.id})`,
      );
      io.out(
        'Sign in at /login; the link is mailed to that address (and logged outside production).',
      );
      return 0;
    });
  }
  if (sub === 'list') {
    return io.withDb(async (db) => {
      const users = await repositories.admins.listUsers(db);
      if (users.length === 0)
        io.out('no administrators yet: postroom admin create --email <address>');
      for (const u of users) {
        io.out(
          `${u.email}\t${u.id}\tlast sign-in: ${u.lastLoginAt ? u.lastLoginAt.toISOString() : 'never'}`,
        );
      }
      return 0;
    });
  }
  io.err(USAGE);
  return 2;
}
