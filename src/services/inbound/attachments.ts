/**
 * Inbound attachments: stored at processing, once per sha256 (a logo in every signature is kept
 * once); listed by GET /v1/inbound/:id and served one by one in slices by
 * GET /v1/inbound/:id/attachments/:n (emails.ts); deleted by retention with the raw bytes.
 */
import type { Clock } from '../../lib/clock.js';
import type { ParsedAttachment } from '../../inbound/parse-mail.js';
import type { Database } from '../ports.js';
import type { InboundAttachmentRepository } from './ports.js';

/** Slice size for serving: big enough to keep round trips few, small enough to hold in memory. */
export const ATTACHMENT_SLICE_BYTES = 1024 * 1024;

export interface AttachmentDeps {
  db: Database;
  clock: Clock;
  attachments: InboundAttachmentRepository;
}

async function store(
  deps: AttachmentDeps,
  inboundEmailId: string,
  parsed: readonly ParsedAttachment[],
): Promise<void> {
  const items = parsed.map((a, n) => ({
    n,
    sha256: a.sha256,
    filename: a.filename,
    contentType: a.contentType,
    size: a.content.length,
    contentId: a.contentId,
    inline: a.inline,
    content: a.content,
  }));
  await deps.attachments.insertAttachments(deps.db, inboundEmailId, items, deps.clock.now());
}

export function createAttachmentService(deps: AttachmentDeps) {
  return {
    store: (id: string, parsed: readonly ParsedAttachment[]) => store(deps, id, parsed),
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
