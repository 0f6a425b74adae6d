/** The message log (filters, keyset pages), message detail, sandboxed preview, raw, retry/cancel. */
import { isUuid } from '../../../lib/ids.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { MessageActions } from '../services.js';
import type { MessagesReader } from '../../../services/dashboard/ports.js';
import { sendEmailPreview } from '../sandbox.js';
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
import { str } from '../page-kit.js';

const CANCELABLE = new Set(['scheduled', 'queued', 'deferred']);
const RETRYABLE = new Set(['failed', 'expired']);
const SETTLING = new Set(['scheduled', 'queued', 'sending', 'deferred']);

export function registerMessagePages(
  t: RouteTable,
  deps: PageDeps,
  m: { reader: MessagesReader; actions: MessageActions },
): void {
  const { kit } = deps;

  t.get('/messages', 'admin', async (req, res) => {
    const f = {
      status: str(req.query.status).slice(0, 40),
      tag: str(req.query.tag).slice(0, 100),
      recipient: str(req.query.recipient).trim().slice(0, 254),
      from: isIsoDate(req.query.from) ? req.query.from : '',
      to: isIsoDate(req.query.to) ? req.query.to : '',
    };
    const before = isUuid(str(req.query.before)) ? str(req.query.before) : undefined;
    const page = await m.reader.list({
      ...Object.fromEntries(Object.entries(f).filter(([, v]) => v !== '')),
      ...(before ? { before } : {}),
      limit: deps.pageSize,
    });
    kit.render(
      req,
      res,
      'messages',
      { title: 'Messages', nav: 'messages' },
      {
        filter: f,
        statuses: [
          '',
          'scheduled',
          'queued',
          'sending',
          'deferred',
          'sent',
          'delivered',
          'bounced',
          'complained',
          'failed',
          'expired',
          'suppressed',
          'canceled',
        ].map((s) => ({ value: s, label: s || 'any status', selected: s === f.status })),
        items: page.items.map((i) => ({
          ...i,
          tone: statusTone(i.status),
          to: i.recipients.join(', '),
        })),
        olderHref: page.nextBefore ? `/messages${query({ ...f, before: page.nextBefore })}` : null,
        newestHref: before ? `/messages${query(f)}` : null,
      },
    );
  });

  const load = async (id: string) => {
    const msg = isUuid(id) ? await m.reader.get(id) : null;
    if (!msg) throw new NotFoundError('message_not_found', 'No such message');
    return msg;
  };

  t.get('/messages/:id', 'admin', async (req, res) => {
    const msg = await load(String(req.params.id));
    // Once sent, show the headers that actually went out; before that, the custom ones.
    const raw = msg.hasRaw ? await m.reader.raw(msg.id) : null;
    kit.render(
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
          events: msg.events.map((e) => ({ ...e, tone: statusTone(e.toStatus ?? '') })),
        },
        canCancel: CANCELABLE.has(msg.status),
        canRetry: RETRYABLE.has(msg.status),
        settling: SETTLING.has(msg.status),
      },
    );
  });

  t.getRaw('/messages/:id/preview', 'admin', async (req, res) => {
    const msg = await load(String(req.params.id));
    sendEmailPreview(res, msg.html ?? '');
  });

  t.getRaw('/messages/:id/raw', 'admin', async (req, res) => {
    const id = String(req.params.id);
    const raw = isUuid(id) ? await m.reader.raw(id) : null;
    if (!raw)
      throw new NotFoundError('raw_not_found', 'This message has no stored MIME (not sent yet)');
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Disposition', `attachment; filename="message-${id}.eml"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.send(raw);
  });

  t.post('/messages/:id/cancel', 'admin', 'form', async (req, res) => {
    const msg = await load(String(req.params.id));
    await m.actions.cancel(msg.id);
    kit.redirectWith(res, `/messages/${msg.id}`, 'Message canceled.');
  });

  t.post('/messages/:id/retry', 'admin', 'form', async (req, res) => {
    const msg = await load(String(req.params.id));
    await m.actions.retry(msg.id);
    kit.redirectWith(res, `/messages/${msg.id}`, 'Message queued again.');
  });
}
