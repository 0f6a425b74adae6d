/**
 * The inbound attachment repository: one row per attachment of an inbound email
 * (inbound_attachments) and the bytes once per sha256 (inbound_attachment_blobs). Blobs are
 * read in slices (substring on an uncompressed TOAST value reads only the chunks it needs), so
 * serving a large attachment never holds it whole in memory.
 */
import { one, query, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { InboundAttachmentRow, NewInboundAttachment } from '../../services/inbound/ports.js';

// Blobs first (a blob already stored is left alone: same sha256, same bytes), then the rows.
// A second run for the same message (reprocess) inserts nothing. The bytes go as one binary
// parameter per distinct blob (`$n::bytea`): inside a bytea[] pg would send them as hex text,
// twice their size, built in one string (hundreds of MB for a 40 MB message's attachments).
const insertSql = (blobTuples: string) => `
WITH input AS (
  SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::boolean[])
    AS t(n, sha256, filename, content_type, size_bytes, content_id, inline)
), content AS (
  SELECT * FROM (VALUES ${blobTuples}) AS c(sha256, content)
), blobs AS (
  INSERT INTO inbound_attachment_blobs (sha256, size_bytes, content, created_at)
  SELECT sha256, octet_length(content), content, $9 FROM content
  ON CONFLICT (sha256) DO NOTHING
)
INSERT INTO inbound_attachments (inbound_email_id, n, sha256, filename, content_type, size_bytes, content_id, inline)
SELECT $1, n, sha256, filename, content_type, size_bytes, content_id, inline FROM input
ON CONFLICT (inbound_email_id, n) DO NOTHING`;

/** Attachments per statement: each statement carries its own blobs, so each stands alone. */
const ATTACHMENTS_PER_STATEMENT = 5000;

export async function insertAttachments(
  ex: Executor,
  inboundEmailId: string,
  items: readonly NewInboundAttachment[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < items.length; i += ATTACHMENTS_PER_STATEMENT) {
    const part = items.slice(i, i + ATTACHMENTS_PER_STATEMENT);
    const blobs = new Map(part.map((a) => [a.sha256, a.content]));
    const values: unknown[] = [];
    const tuples = [...blobs].map(([sha256, content]) => {
      values.push(sha256, content);
      return `($${9 + values.length - 1}::text, $${9 + values.length}::bytea)`;
    });
    const col = <T>(f: (a: NewInboundAttachment) => T) => part.map(f);
    await query(ex, insertSql(tuples.join(', ')), [
      inboundEmailId,
      col((a) => a.n),
      col((a) => a.sha256),
      col((a) => a.filename),
      col((a) => a.contentType),
      col((a) => a.size),
      col((a) => a.contentId),
      col((a) => a.inline),
      now,
      ...values,
    ]);
  }
}

export async function listAttachments(
  ex: Executor,
  inboundEmailId: string,
): Promise<InboundAttachmentRow[]> {
  const found = await rows<Record<string, unknown>>(
    ex,
    `SELECT inbound_email_id, n, sha256, filename, content_type, size_bytes, content_id, inline
       FROM inbound_attachments WHERE inbound_email_id = $1 ORDER BY n`,
    [inboundEmailId],
  );
  return found.map((r) => ({
    inboundEmailId: r.inbound_email_id as string,
    n: r.n as number,
    sha256: r.sha256 as string,
    filename: (r.filename as string | null) ?? null,
    contentType: r.content_type as string,
    size: r.size_bytes as number,
    contentId: (r.content_id as string | null) ?? null,
    inline: r.inline as boolean,
  }));
}

export async function readBlob(
  ex: Executor,
  sha256: string,
  offset: number,
  length: number,
): Promise<Buffer> {
  const row = await one<{ part: Buffer }>(
    ex,
    `SELECT substring(content FROM $2 FOR $3) AS part FROM inbound_attachment_blobs WHERE sha256 = $1`,
    [sha256, offset + 1, length],
  );
  return row?.part ?? Buffer.alloc(0);
}

export async function deleteExpiredAttachments(
  ex: Executor,
  limit: number,
): Promise<{ rows: number; blobs: number }> {
  const found = await one<{ rows: number; blobs: number }>(
    ex,
    `WITH doomed AS (
       SELECT a.inbound_email_id, a.n, a.sha256 FROM inbound_attachments a
         JOIN inbound_emails e ON e.id = a.inbound_email_id
        WHERE e.raw_deleted_at IS NOT NULL LIMIT $1
     ), gone AS (
       DELETE FROM inbound_attachments a USING doomed d
        WHERE a.inbound_email_id = d.inbound_email_id AND a.n = d.n RETURNING a.sha256
     ), blobs AS (
       DELETE FROM inbound_attachment_blobs b
        WHERE b.sha256 IN (SELECT sha256 FROM gone)
          AND NOT EXISTS (SELECT 1 FROM inbound_attachments a
                           WHERE a.sha256 = b.sha256
                             AND (a.inbound_email_id, a.n) NOT IN (SELECT inbound_email_id, n FROM doomed))
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM gone)::int AS rows, (SELECT count(*) FROM blobs)::int AS blobs`,
    [limit],
  );
  return found ?? { rows: 0, blobs: 0 };
}
