/** The Template repository (message_templates): every PUT adds a version; DELETE hides all versions. */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { NewTemplateVersion } from '../../services/outbound/ports/index.js';
import type { TemplateVersion } from '../../domain/outbound/message.js';

function toTemplate(r: Record<string, unknown>): TemplateVersion {
  return {
    name: r.name as string,
    version: r.version as number,
    subject: r.subject as string,
    html: (r.html as string | null) ?? null,
    text: (r.text as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/** The next version number is taken under a row lock, so two PUTs never share one. */
export async function insertTemplateVersion(
  ex: Executor,
  t: NewTemplateVersion,
  now: Date,
): Promise<TemplateVersion> {
  await query(ex, `SELECT pg_advisory_xact_lock(hashtext('template:' || $1))`, [t.name]);
  const { rows } = await query(
    ex,
    `INSERT INTO message_templates (name, version, subject, html, text, created_at)
     SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM message_templates WHERE name = $1
     RETURNING *`,
    [t.name, t.subject, t.html, t.text, now],
  );
  // Re-creating a deleted name revives the name, and with it the history.
  await query(ex, `UPDATE message_templates SET deleted_at = NULL WHERE name = $1`, [t.name]);
  return toTemplate(rows[0]!);
}

export async function getTemplate(
  ex: Executor,
  name: string,
  version?: number,
): Promise<TemplateVersion | null> {
  const { rows } = await query(
    ex,
    `SELECT * FROM message_templates WHERE name = $1 AND deleted_at IS NULL AND ($2::int IS NULL OR version = $2)
     ORDER BY version DESC LIMIT 1`,
    [name, version ?? null],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}

export async function listTemplateVersions(ex: Executor, name: string): Promise<TemplateVersion[]> {
  const { rows } = await query(
    ex,
    `SELECT * FROM message_templates WHERE name = $1 AND deleted_at IS NULL ORDER BY version DESC`,
    [name],
  );
  return rows.map(toTemplate);
}

export async function deleteTemplate(ex: Executor, name: string, now: Date): Promise<number> {
  const { rowCount } = await query(
    ex,
    `UPDATE message_templates SET deleted_at = $2 WHERE name = $1 AND deleted_at IS NULL`,
    [name, now],
  );
  return rowCount ?? 0;
}
