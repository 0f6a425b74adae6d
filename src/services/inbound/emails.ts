/**
 * The read API's use cases (GET /v1/inbound…): one message with its attachments, a page of them,
 * its raw bytes, the full `inbound.received` payload a thin delivery points at (rebuilt from the
 * stored bytes, so it exists as long as they do), and the replies to one of our messages.
 * The http edge reads through here, so it never holds the database handle itself.
 */
import { AppError, NotFoundError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { parseMail } from '../../inbound/parse-mail.js';
import type { ReplyResult } from '../../reply/index.js';
import type { Database } from '../ports.js';
import { ATTACHMENT_SLICE_BYTES } from './attachments.js';
import { inboundPayload } from './payload.js';
import type {
  InboundAttachmentRepository,
  InboundAttachmentRow,
  InboundEmailRepository,
  InboundEmailRow,
  InboundListFilter,
  ThreadLookup,
} from './ports.js';
import type { InboundUrls } from './signed-urls.js';

export interface InboundEmailsDeps {
  db: Database;
  clock: Clock;
  emails: Pick<InboundEmailRepository, 'get' | 'list' | 'loadRaw' | 'listReplies'>;
  attachments: Pick<InboundAttachmentRepository, 'listAttachments' | 'readBlob'>;
  threads: Pick<ThreadLookup, 'findById'>;
  urls: InboundUrls;
}

async function mustGet(deps: InboundEmailsDeps, id: string): Promise<InboundEmailRow> {
  const row = await deps.emails.get(deps.db, id);
  if (!row) throw new NotFoundError('inbound_email_not_found', 'No such inbound email');
  return row;
}

/** The payload as the webhook would carry it whole, whatever its size. */
async function payload(deps: InboundEmailsDeps, id: string) {
  const email = await mustGet(deps, id);
  const raw = email.rawDeletedAt ? null : await deps.emails.loadRaw(deps.db, id);
  if (!raw) throw new AppError(410, 'raw_deleted', 'The raw message was deleted by retention');
  const [mail, attachments, thread] = await Promise.all([
    parseMail(raw),
    deps.attachments.listAttachments(deps.db, id),
    email.threadMessageId ? deps.threads.findById(email.threadMessageId) : null,
  ]);
  const routed = (email.routedTo ?? {}) as { route?: { id: string; name: string } };
  const built = inboundPayload(
    {
      email,
      mail,
      reply: (email.reply as ReplyResult | null) ?? null,
      classification: email.classification,
      attachments,
      thread,
      route: routed.route ?? null,
    },
    deps.urls,
    deps.clock.now(),
    Number.POSITIVE_INFINITY,
  );
  return built.payload;
}

/** The bytes of one stored attachment, slice by slice. */
async function* readAttachment(
  deps: InboundEmailsDeps,
  a: InboundAttachmentRow,
): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < a.size; offset += ATTACHMENT_SLICE_BYTES) {
    const length = Math.min(ATTACHMENT_SLICE_BYTES, a.size - offset);
    yield await deps.attachments.readBlob(deps.db, a.sha256, offset, length);
  }
}

export function createInboundEmailsService(deps: InboundEmailsDeps) {
  const { db, emails } = deps;
  return {
    get: (id: string) => emails.get(db, id),
    list: (filter: InboundListFilter) => emails.list(db, filter),
    loadRaw: (id: string) => emails.loadRaw(db, id),
    attachments: (id: string) => deps.attachments.listAttachments(db, id),
    attachmentUrl: (id: string, n: number) => deps.urls.attachment(id, n, deps.clock.now()),
    readAttachment: (a: InboundAttachmentRow) => readAttachment(deps, a),
    /** Whether a signed URL's token opens this attachment (n) or this payload (null). */
    verifyLink: (token: string, id: string, n: number | null) =>
      deps.urls.verify(token, id, n, deps.clock.now()),
    payload: (id: string) => payload(deps, id),
    /** Replies to one of our messages; 404 when there is no such message. */
    async replies(messageId: string, limit: number) {
      if (!(await deps.threads.findById(messageId)))
        throw new NotFoundError('message_not_found', `No message ${messageId}`);
      return emails.listReplies(db, messageId, limit);
    },
  };
}

export type InboundEmailsService = ReturnType<typeof createInboundEmailsService>;
