/**
 * The read API's use cases (GET /v1/inbound…): one message, a page of them, its raw bytes.
 * The http edge reads through here, so it never holds the database handle itself.
 */
import type { Database } from '../ports.js';
import type { InboundEmailRepository, InboundListFilter } from './ports.js';

export interface InboundEmailsDeps {
  db: Database;
  emails: Pick<InboundEmailRepository, 'get' | 'list' | 'loadRaw'>;
}

export function createInboundEmailsService({ db, emails }: InboundEmailsDeps) {
  return {
    get: (id: string) => emails.get(db, id),
    list: (filter: InboundListFilter) => emails.list(db, filter),
    loadRaw: (id: string) => emails.loadRaw(db, id),
  };
}

export type InboundEmailsService = ReturnType<typeof createInboundEmailsService>;
