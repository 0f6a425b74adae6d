/** Read model over message_templates (migration 0002): the template list and version history. */
import { rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { TemplateSummary, TemplateVersionView } from '../../services/dashboard/ports/index.js';

/** Live templates (latest version not deleted), with their version count. */
export async function list(ex: Executor): Promise<TemplateSummary[]> {
  const r = await rows<{
    name: string;
    version: number;
    subject: string;
    created_at: Date;
    versions: number;
  }>(
    ex,
    `SELECT DISTINCT ON (name) name, version, subject, created_at,
            count(*) OVER (PARTITION BY name)::int AS versions
       FROM message_templates
      WHERE deleted_at IS NULL
      ORDER BY name, version DESC`,
  );
  return r.map((t) => ({
    name: t.name,
    version: t.version,
    subject: t.subject,
    updatedAt: t.created_at,
    versions: t.versions,
  }));
}

export async function versions(ex: Executor, name: string): Promise<TemplateVersionView[]> {
  const r = await rows<{
    version: number;
    subject: string;
    html: string | null;
    text: string | null;
    created_at: Date;
  }>(
    ex,
    `SELECT version, subject, html, text, created_at FROM message_templates
      WHERE name = $1 AND deleted_at IS NULL ORDER BY version DESC`,
    [name],
  );
  return r.map((v) => ({
    version: v.version,
    subject: v.subject,
    html: v.html,
    text: v.text,
    createdAt: v.created_at,
  }));
}
