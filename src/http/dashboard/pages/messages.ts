/** The message log (filters, keyset pages), message detail, sandboxed preview, raw, retry/cancel. */
import type { Request, Response } from 'express';
import { OUTBOUND_STATUSES, outboundMachine } from '../../../domain/state/outbound-message.js';
import { isUuid } from '../../../lib/ids.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { MessageDetail, MessagesReader } from '../../../services/dashboard/ports/index.js';
import type { MessageActions } from '../services.js';
import { sendEmailPreview, sendRawMessage } from '../sandbox.js';
import {
  formatAddresses,
  headerRows,
  isIsoDate,
  query,
  rawHeaderRows,
} from '../view-models/format.js';
import { statusTone } from '../view-models/status.js';
import type { RouteTable } from '../route-table.js';
import type { PageDeps } from '../page-deps.js';
import { choices, str } from '../page-kit.js';

// The filter lists every status in lifecycle order; the buttons follow the machine.
const STATUSES = ['', ...OUTBOUND_STATUSES];
const CANCELABLE = new Set<string>(outboundMachine.sources('cancel'));
const RETRYABLE = new Set<string>(outboundMachine.sources('retry'));
/** Not yet handed over: the page refreshes until the message settles. */
const SETTLING = new Set<string>(['scheduled', 'queued', 'sending', 'deferred']);

interface MessagePages extends PageDeps {
  reader: MessagesReader;
  actions: MessageActions;
}

export function registerMessagePages(
  t: RouteTable,
  deps: PageDeps,
  m: { reader: MessagesReader; actions: MessageActions },
): void {
  const p: MessagePages = { ...deps, ...m };
  t.get('/messages', 'admin', (req, res) => messageLog(p, req, res));
  t.get('/messages/:id', 'admin', (req, res) => messagePage(p, req, res));
  t.getRaw('/messages/:id/preview', 'admin', (req, res) => messagePreview(p, req, res));
  t.getRaw('/messages/:id/raw', 'admin', (req, res) => rawMessage(p, req, res));
  t.post('/messages/:id/cancel', 'admin', 'form', (req, res) => cancelMessage(p, req, res));
  t.post('/messages/:id/retry', 'admin', 'form', (req, res) => retryMessage(p, req, res));
}

async function load(p: MessagePages, id: string): Promise<MessageDetail> {
  const msg = isUuid(id) ? await p.reader.get(id) : null;
  if (!msg) throw new NotFoundError('message_not_found', 'No such message');
  return msg;
}

async function messageLog(p: MessagePages, req: Request, res: Response): Promise<void> {
  const f = {
    status: str(req.query.status).slice(0, 40),
    tag: str(req.query.tag).slice(0, 100),
    recipient: str(req.query.recipient).trim().slice(0, 254),
    from: isIsoDate(req.query.from) ? req.query.from : '',
    to: isIsoDate(req.query.to) ? req.query.to : '',
  };
  const before = isUuid(str(req.query.before)) ? str(req.query.before) : undefined;
  const page = await p.reader.list({
    ...Object.fromEntries(Object.entries(f).filter(([, v]) => v !== '')),
    ...(before ? { before } : {}),
    limit: p.pageSize,
  });
  p.kit.render(
    req,
    res,
    'messages',
    { title: 'Messages', nav: 'messages' },
    {
      filter: f,
      statuses: choices(STATUSES, f.status, 'any status'),
      items: page.items.map((i) => ({
        ...i,
        tone: statusTone(i.status),
        to: i.recipients.join(', '),
      })),
      olderHref: page.nextBefore ? `/messages${query({ ...f, before: page.nextBefore })}` : null,
      newestHref: before ? `/messages${query(f)}` : null,
    },
  );
}

async function messagePage(p: MessagePages, req: Request, res: Response): Promise<void> {
  const msg = await load(p, String(req.params.id));
  // Once sent, show the headers that actually went out; before that, the custom ones.
  const raw = msg.hasRaw ? await p.reader.raw(msg.id) : null;
  p.kit.render(
    req,
    res,
    'message',
    { title: msg.subject || 'Message', nav: 'messages' },
    {
      m: {
        ...msg,
        tone: statusTone(msg.status),
        fromText: formatAddresses(msg.from),
        toText: formatAddresses(msg.to),
        ccText: formatAddresses(msg.cc),
        bccText: formatAddresses(msg.bcc),
        headerRows: raw ? rawHeaderRows(raw) : headerRows(msg.headers),
        headersSent: raw !== null,
        attachmentNames: Array.isArray(msg.attachments)
          ? (msg.attachments as { filename?: unknown }[]).map((a) =>
              String(a?.filename ?? 'attachment'),
            )
          : [],
        deliveries: msg.deliveries.map((d) => ({ ...d, tone: statusTone(d.status) })),
        events: msg.events.map((e) => ({
          ...e,
          tone: statusTone(e.toStatus ?? ''),
          recipients: attemptResults(e.data),
        })),
      },
      canCancel: CANCELABLE.has(msg.status),
      canRetry: RETRYABLE.has(msg.status),
      settling: SETTLING.has(msg.status),
    },
  );
}

/** An attempt's result per recipient, as the timeline lists it under the event. */
function attemptResults(data: unknown) {
  const list = (data as { recipients?: unknown } | null)?.recipients;
  if (!Array.isArray(list)) return [];
  return (list as Array<{ address?: unknown; status?: unknown; smtp_response?: unknown }>).map(
    (r) => ({
      address: String(r.address ?? ''),
      status: String(r.status ?? ''),
      tone: statusTone(String(r.status ?? '')),
      reply: typeof r.smtp_response === 'string' ? r.smtp_response : null,
    }),
  );
}

async function messagePreview(p: MessagePages, req: Request, res: Response): Promise<void> {
  const msg = await load(p, String(req.params.id));
  sendEmailPreview(res, msg.html ?? '');
}

async function rawMessage(p: MessagePages, req: Request, res: Response): Promise<void> {
  const id = String(req.params.id);
  const raw = isUuid(id) ? await p.reader.raw(id) : null;
  if (!raw)
    throw new NotFoundError('raw_not_found', 'This message has no stored MIME (not sent yet)');
  sendRawMessage(res, raw, `message-${id}.eml`);
}

async function cancelMessage(p: MessagePages, req: Request, res: Response): Promise<void> {
  const msg = await load(p, String(req.params.id));
  await p.actions.cancel(msg.id);
  p.kit.redirectWith(res, `/messages/${msg.id}`, 'Message canceled.');
}

async function retryMessage(p: MessagePages, req: Request, res: Response): Promise<void> {
  const msg = await load(p, String(req.params.id));
  await p.actions.retry(msg.id);
  p.kit.redirectWith(res, `/messages/${msg.id}`, 'Message queued again.');
}
