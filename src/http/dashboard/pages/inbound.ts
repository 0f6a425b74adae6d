/** Inbound: list by status and provider; detail with raw and extracted reply side by side, reprocess. */
import { NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { InboundReader } from '../../../services/dashboard/ports.js';
import { str } from '../page-kit.js';
import type { InboundActions } from '../services.js';
import type { RouteTable } from '../route-table.js';
import { query } from '../view-models/format.js';
import { statusTone } from '../view-models/status.js';
import type { PageDeps } from '../page-deps.js';

const STATUSES = ['', 'received', 'processing', 'processed', 'ignored', 'failed'];
const PROVIDERS = ['', 'sendgrid', 'mailgun', 'postmark', 'ses', 'relay'];
/** The raw source shown inline is capped; the download has everything. */
const RAW_PREVIEW_BYTES = 256 * 1024;

export function registerInboundPages(
  t: RouteTable,
  deps: PageDeps,
  inbound: { reader: InboundReader; actions: InboundActions | null },
): void {
  const { kit } = deps;

  t.get('/inbound', 'admin', async (req, res) => {
    const status = STATUSES.includes(str(req.query.status)) ? str(req.query.status) : '';
    const provider = PROVIDERS.includes(str(req.query.provider)) ? str(req.query.provider) : '';
    const before = isUuid(str(req.query.before)) ? str(req.query.before) : undefined;
    const page = await inbound.reader.list({
      ...(status ? { status } : {}),
      ...(provider ? { provider } : {}),
      ...(before ? { before } : {}),
      limit: deps.pageSize,
    });
    kit.render(
      req,
      res,
      'inbound',
      { title: 'Inbound', nav: 'inbound' },
      {
        statuses: STATUSES.map((s) => ({
          value: s,
          label: s || 'any status',
          selected: s === status,
        })),
        providers: PROVIDERS.map((p) => ({
          value: p,
          label: p || 'any provider',
          selected: p === provider,
        })),
        items: page.items.map((i) => ({ ...i, tone: statusTone(i.status) })),
        olderHref: page.nextBefore
          ? `/inbound${query({ status, provider, before: page.nextBefore })}`
          : null,
        newestHref: before ? `/inbound${query({ status, provider })}` : null,
      },
    );
  });

  const load = async (id: string) => {
    const m = isUuid(id) ? await inbound.reader.get(id) : null;
    if (!m) throw new NotFoundError('inbound_not_found', 'No such inbound message');
    return m;
  };

  t.get('/inbound/:id', 'admin', async (req, res) => {
    const m = await load(String(req.params.id));
    const raw = m.hasRaw ? await inbound.reader.raw(m.id) : null;
    const reply = m.reply as { text?: unknown } | null;
    kit.render(
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
        canReprocess:
          inbound.actions !== null && ['processed', 'ignored', 'failed'].includes(m.status),
        settling: m.status === 'received' || m.status === 'processing',
      },
    );
  });

  t.getRaw('/inbound/:id/raw', 'admin', async (req, res) => {
    const id = String(req.params.id);
    const raw = isUuid(id) ? await inbound.reader.raw(id) : null;
    if (!raw)
      throw new NotFoundError(
        'raw_not_found',
        'The raw message is gone (retention) or never existed',
      );
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Disposition', `attachment; filename="inbound-${id}.eml"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.send(raw);
  });

  if (inbound.actions) {
    const actions = inbound.actions;
    t.post('/inbound/:id/reprocess', 'admin', 'form', async (req, res) => {
      const m = await load(String(req.params.id));
      await actions.reprocess(m.id);
      kit.redirectWith(res, `/inbound/${m.id}`, 'Queued for processing again.');
    });
  }
}
