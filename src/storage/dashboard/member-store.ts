/**
 * What the member page (signed link, no session) reads and writes: the member, their entries
 * for one local date, and their per-kind unsubscriptions (tables from migration 0004). Every
 * write is scoped by member_id, so a link can only ever touch its own member's rows.
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';

export interface MemberEntryInput {
  kind: 'done' | 'goal' | 'blocker';
  text: string;
  tags: string[];
  mentions: string[];
  completed: boolean;
}

export function createMemberStore(db: Executor, newId: () => string) {
  return {
    async find(memberId: string) {
      const r = await query<{
        id: string;
        name: string;
        email: string;
        team_id: string;
        team_name: string;
        time_zone: string;
      }>(
        db,
        `SELECT m.id, m.name, m.email::text, m.team_id, t.name AS team_name, coalesce(m.time_zone, t.time_zone) AS time_zone
           FROM members m JOIN teams t ON t.id = m.team_id WHERE m.id = $1`,
        [memberId],
      );
      const m = r.rows[0];
      return m
        ? {
            id: m.id,
            name: m.name,
            email: m.email,
            teamId: m.team_id,
            teamName: m.team_name,
            timeZone: m.time_zone,
          }
        : null;
    },

    async entries(memberId: string, date: string) {
      const r = await query<{
        id: string;
        kind: 'done' | 'goal' | 'blocker';
        text: string;
        tags: string[];
        completed: boolean;
      }>(
        db,
        `SELECT id, kind, text, tags, completed FROM entries
          WHERE member_id = $1 AND local_date = $2::date ORDER BY created_at, id`,
        [memberId, date],
      );
      return r.rows;
    },

    /** Adds entries; a line the member already has for that date and kind is skipped. */
    async add(
      memberId: string,
      date: string,
      items: readonly MemberEntryInput[],
      now: Date,
    ): Promise<number> {
      let added = 0;
      for (const e of items) {
        const r = await query(
          db,
          `INSERT INTO entries (id, team_id, member_id, local_date, kind, text, tags, mentions, completed, source, created_at, updated_at)
           SELECT $1, m.team_id, m.id, $3::date, $4, $5, $6, $7, $8, 'api', $9, $9 FROM members m WHERE m.id = $2
           ON CONFLICT DO NOTHING`,
          [newId(), memberId, date, e.kind, e.text, e.tags, e.mentions, e.completed, now],
        );
        added += r.rowCount ?? 0;
      }
      return added;
    },

    async update(
      memberId: string,
      entryId: string,
      e: MemberEntryInput,
      now: Date,
    ): Promise<boolean> {
      const r = await query(
        db,
        `UPDATE entries SET kind = $3, text = $4, tags = $5, mentions = $6, completed = $7, updated_at = $8
          WHERE id = $1 AND member_id = $2`,
        [entryId, memberId, e.kind, e.text, e.tags, e.mentions, e.completed, now],
      );
      return (r.rowCount ?? 0) > 0;
    },

    async remove(memberId: string, entryId: string): Promise<boolean> {
      const r = await query(db, `DELETE FROM entries WHERE id = $1 AND member_id = $2`, [
        entryId,
        memberId,
      ]);
      return (r.rowCount ?? 0) > 0;
    },

    async unsubscriptions(memberId: string): Promise<string[]> {
      const r = await query<{ kind: string }>(
        db,
        `SELECT kind FROM member_unsubscriptions WHERE member_id = $1`,
        [memberId],
      );
      return r.rows.map((x) => x.kind);
    },

    async setUnsubscribed(
      memberId: string,
      kind: string,
      unsubscribed: boolean,
      now: Date,
    ): Promise<void> {
      if (unsubscribed) {
        await query(
          db,
          `INSERT INTO member_unsubscriptions (member_id, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [memberId, kind, now],
        );
      } else {
        await query(db, `DELETE FROM member_unsubscriptions WHERE member_id = $1 AND kind = $2`, [
          memberId,
          kind,
        ]);
      }
    },
  };
}
