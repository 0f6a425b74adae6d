/** Read model over message_templates (migration 0002): the template list and version history. */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';

export function createTemplatesReader(db: Executor) {
  return {
    /** Live templates (latest version not deleted), with their version count. */
    async list() {
      const r = await query<{
        name: string;
        version: number;
        subject: string;
        created_at: Date;
        versions: number;
      }>(
        db,
        `SELECT DISTINCT ON (name) name, version, subject, created_at,
                count(*) OVER (PARTITION BY name)::int AS versions
           FROM message_templates
          WHERE deleted_at IS NULL
          ORDER BY name, version DESC`,
      );
      return r.rows.map((t) => ({
        name: t.name,
        version: t.version,
        subject: t.subject,
        updatedAt: t.created_at,
        versions: t.versions,
      }));
    },

    async versions(name: string) {
      const r = await query<{
        version: number;
        subject: string;
        html: string | null;
        text: string | null;
        created_at: Date;
      }>(
        db,
        `SELECT version, subject, html, text, created_at FROM message_templates
          WHERE name = $1 AND deleted_at IS NULL ORDER BY version DESC`,
        [name],
      );
      return r.rows.map((v) => ({
        version: v.version,
        subject: v.subject,
        html: v.html,
        text: v.text,
        createdAt: v.created_at,
      }));
    },
  };
}
