/** Inbound: list by status and provider; detail with raw and extracted reply side by side, reprocess. */
import type { Request, Response } from 'express';
import { NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { InboundDetail, InboundReader } from '../../../services/dashboard/ports/index.js';
import { choices, str } from '../page-kit.js';
import type { InboundActions } from '../services.js';
import type { RouteTable } from '../route-table.js';
import { sendRawMessage } from '../sandbox.js';
import { query } from '../view-models/format.js';
import { statusTone } from '../view-models/status.js';
import type { PageDeps } from '../page-deps.js';

const STATUSES = ['', 'received', 'processing', 'processed', 'ignored', 'failed'];
const PROVIDERS = ['', 'sendgrid', 'mailgun', 'postmark', 'ses', 'relay'];
/** The raw source shown inline is capped; the download has everything. */
const RAW_PREVIEW_BYTES = 256 * 1024;

/** `actions` is null when the inbound feature is not wired: then nothing can be reprocessed. */
interface InboundPages extends PageDeps {
  reader: InboundReader;
  actions: InboundActions | null;
}

export function registerInboundPages(
  t: RouteTable,
  deps: PageDeps,
  inbound: { reader: InboundReader; actions: InboundActions | null },
): void {
  const p: InboundPages = { ...deps, ...inbound };
  t.get('/inbound', 'admin', (req, res) => inboundList(p, req, res));
  t.get('/inbound/:id', 'admin', (req, res) => inboundPage(p, req, res));
  t.getRaw('/inbound/:id/raw', 'admin', (req, res) => rawInbound(p, req, res));
  const actions = inbound.actions;
  if (actions)
    t.post('/inbound/:id/reprocess', 'admin', 'form', (req, res) =>
      reprocess(p, actions, req, res),
    );
}

async function load(p: InboundPages, id: string): Promise<InboundDetail> {
  const m = isUuid(id) ? await p.reader.get(id) : null;
  if (!m) throw new NotFoundError('inbound_not_found', 'No such inbound message');
  return m;
}

async function inboundList(p: InboundPages, req: Request, res: Response): Promise<void> {
  const status = STATUSES.includes(str(req.query.status)) ? str(req.query.status) : '';
  const provider = PROVIDERS.includes(str(req.query.provider)) ? str(req.query.provider) : '';
  const before = isUuid(str(req.query.before)) ? str(req.query.before) : undefined;
  const page = await p.reader.list({
    ...(status ? { status } : {}),
    ...(provider ? { provider } : {}),
    ...(before ? { before } : {}),
    limit: p.pageSize,
  });
  p.kit.render(
    req,
    res,
    'inbound',
    { title: 'Inbound', nav: 'inbound' },
    {
      statuses: choices(STATUSES, status, 'any status'),
      providers: choices(PROVIDERS, provider, 'any provider'),
      items: page.items.map((i) => ({ ...i, tone: statusTone(i.status) })),
      olderHref: page.nextBefore
        ? `/inbound${query({ status, provider, before: page.nextBefore })}`
        : null,
      newestHref: before ? `/inbound${query({ status, provider })}` : null,
    },
  );
}

async function inboundPage(p: InboundPages, req: Request, res: Response): Promise<void> {
  const m = await load(p, String(req.params.id));
  const raw = m.hasRaw ? await p.reader.raw(m.id) : null;
  const reply = m.reply as {
    text?: unknown;
    signature?: unknown;
    quoted?: unknown;
    method?: unknown;
    flags?: unknown;
  } | null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  p.kit.render(
    req,
    res,
    'inbound-detail',
    { title: m.subject ?? 'Inbound message', nav: 'inbound' },
    {
      m: { ...m, tone: statusTone(m.status) },
      rawText: raw ? raw.subarray(0, RAW_PREVIEW_BYTES).toString('utf8') : null,
      rawTruncated: raw ? raw.length > RAW_PREVIEW_BYTES : false,
      replyText: reply && typeof reply.text === 'string' ? reply.text : null,
      replyJson: reply && typeof reply.text !== 'string' ? reply : null,
      replySignature: str(reply?.signature),
      replyQuoted: str(reply?.quoted),
      replyMethod: str(reply?.method),
      replyFlags: Array.isArray(reply?.flags) ? reply.flags : [],
      canReprocess: p.actions !== null && ['processed', 'ignored', 'failed'].includes(m.status),
      settling: m.status === 'received' || m.status === 'processing',
    },
  );
}

async function rawInbound(p: InboundPages, req: Request, res: Response): Promise<void> {
  const id = String(req.params.id);
  const raw = isUuid(id) ? await p.reader.raw(id) : null;
  if (!raw)
    throw new NotFoundError(
      'raw_not_found',
      'The raw message is gone (retention) or never existed',
    );
  sendRawMessage(res, raw, `inbound-${id}.eml`);
}

async function reprocess(p: InboundPages, actions: InboundActions, req: Request, res: Response) {
  const m = await load(p, String(req.params.id));
  await actions.reprocess(m.id);
  p.kit.redirectWith(res, `/inbound/${m.id}`, 'Queued for processing again.');
}
