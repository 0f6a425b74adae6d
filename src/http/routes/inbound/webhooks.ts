/**
 * POST /inbound/{sendgrid,mailgun/mime,postmark,ses,relay}: authenticate, store, answer.
 *
 * Contract shared by every endpoint (docs/inbound.md has the per-provider table):
 * - 200 `{status: "accepted" | "duplicate", id}` only after the row, the raw bytes and the
 *   processing job are committed; a duplicate gets the same 200 and no second row.
 * - 404 `endpoint_disabled` when the endpoint's secret list is unset.
 * - 413 over the endpoint's size limit; 400 with a code for malformed bodies.
 * - Each provider's "stop retrying" status for bad credentials: Mailgun 406, Postmark 403,
 *   SendGrid 401/403, SES 403, relay 401.
 * - 5xx (from the error handler) for anything transient, so the provider retries.
 */
import { Router, type RequestHandler, type Response } from 'express';
import { ByteBudget } from '../../../lib/byte-budget.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { mailgunInbound } from '../../../inbound/providers/mailgun.js';
import { checkPostmarkAuth, postmarkInbound } from '../../../inbound/providers/postmark.js';
import { checkRelayAuth, relayInbound } from '../../../inbound/providers/relay.js';
import { checkSendgridAuth, sendgridInbound } from '../../../inbound/providers/sendgrid.js';
import { sesInbound } from '../../../inbound/providers/ses.js';
import type { RawInbound } from '../../../inbound/providers/types.js';
import { parseForm, readFormBody, readRawBody } from './body.js';
import type { InboundHttpDeps } from './deps.js';

export function disabled(name: string): never {
  throw new NotFoundError('endpoint_disabled', `The ${name} endpoint is not configured`);
}

/**
 * Bytes of received bodies being turned into a stored message at once, in this process. Reading
 * a body holds it once; parsing it (a JSON string, a form field decoded and copied back, the
 * raw bytes) and writing it hold it three or four times over. So the reading is not limited (a
 * slow upload would hold the budget while it trickles in) but the rest is: four concurrent
 * 40 MB posts take turns there, and small posts pass side by side. One body larger than the
 * budget still runs, alone.
 */
const INGEST_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

type Deps = InboundHttpDeps & { ingest: ByteBudget };

/** 200 only once the row is committed; a duplicate answers the same, with the first row's id. */
async function accept(deps: Deps, res: Response, inbound: RawInbound, nonce?: string) {
  const result = await deps.receive.receive(inbound, nonce);
  res.status(200).json({ status: result.duplicate ? 'duplicate' : 'accepted', id: result.id });
}

function sendgrid(deps: Deps): RequestHandler {
  const s = deps.settings;
  return async (req, res) => {
    if (s.sendgrid.auth.length === 0) disabled('SendGrid inbound');
    const opts = {
      authPairs: s.sendgrid.auth,
      allowIps: s.sendgrid.allowIps,
      remoteAddress: req.socket.remoteAddress,
    };
    checkSendgridAuth(req.headers, opts);
    const body = await readFormBody(req, s.maxBytes.sendgrid);
    await deps.ingest.run(body.length, async () => {
      const form = await parseForm(req.headers, body, s.maxBytes.sendgrid);
      await accept(deps, res, sendgridInbound(form, req.headers, opts));
    });
  };
}

function mailgun(deps: Deps): RequestHandler {
  const s = deps.settings;
  return async (req, res) => {
    if (s.mailgun.signingKeys.length === 0) disabled('Mailgun inbound');
    const body = await readFormBody(req, s.maxBytes.mailgun);
    await deps.ingest.run(body.length, async () => {
      const form = await parseForm(req.headers, body, s.maxBytes.mailgun);
      const { inbound, nonce } = mailgunInbound(form, {
        signingKeys: s.mailgun.signingKeys,
        maxAgeSeconds: s.mailgun.maxAgeSeconds,
        now: deps.clock.now(),
      });
      await accept(deps, res, inbound, nonce);
    });
  };
}

function postmark(deps: Deps): RequestHandler {
  const s = deps.settings;
  return async (req, res) => {
    if (s.postmark.auth.length === 0) disabled('Postmark inbound');
    checkPostmarkAuth(req.headers, s.postmark.auth);
    const body = await readRawBody(req, s.maxBytes.postmark);
    await deps.ingest.run(body.length, () =>
      accept(deps, res, postmarkInbound(req.headers, body, s.postmark.auth)),
    );
  };
}

function relay(deps: Deps): RequestHandler {
  const s = deps.settings;
  return async (req, res) => {
    if (s.relay.tokens.length === 0) disabled('relay');
    checkRelayAuth(req.headers, s.relay.tokens);
    const body = await readRawBody(req, s.maxBytes.relay);
    await deps.ingest.run(body.length, () =>
      accept(deps, res, relayInbound(req.headers, body, s.relay.tokens)),
    );
  };
}

/** SES's S3 action left the message in a bucket: fetch it, within the SES size limit. */
async function fetchFromS3(deps: Deps, location: { bucket: string; key: string }): Promise<Buffer> {
  if (!deps.fetchS3) {
    throw new AppError(
      422,
      's3_fetch_disabled',
      'SES stored this message in S3; set SES_S3_* so Postroom can fetch it',
    );
  }
  const raw = await deps.fetchS3(location.bucket, location.key);
  if (raw.length > deps.settings.maxBytes.ses)
    throw new AppError(413, 'payload_too_large', 'The S3 object is over the SES size limit');
  return raw;
}

function ses(deps: Deps): RequestHandler {
  return async (req, res) => {
    if (!deps.sns) disabled('SES inbound');
    const body = await readRawBody(req, deps.settings.maxBytes.ses);
    await deps.ingest.run(body.length, () => sesMessage(deps, res, body));
  };
}

/** A verified SNS message: a subscription to confirm, a notice to ignore, or mail to store. */
async function sesMessage(deps: Deps, res: Response, body: Buffer): Promise<void> {
  const parsed = sesInbound(await deps.sns!.verify(body));
  switch (parsed.kind) {
    case 'subscribe':
      await deps.confirmSubscription(parsed);
      res.status(200).json({ status: 'confirming' });
      return;
    case 'ignore':
      res.status(200).json({ status: 'ignored', why: parsed.why });
      return;
    case 's3':
      await accept(deps, res, { ...parsed.template, raw: await fetchFromS3(deps, parsed) });
      return;
    case 'mail':
      await accept(deps, res, parsed.inbound);
  }
}

export function createInboundWebhookRouter(httpDeps: InboundHttpDeps): Router {
  const deps: Deps = { ...httpDeps, ingest: new ByteBudget(INGEST_BYTES_IN_FLIGHT) };
  const router = Router();
  router.post('/inbound/sendgrid', sendgrid(deps));
  router.post('/inbound/mailgun/mime', mailgun(deps));
  router.post('/inbound/postmark', postmark(deps));
  router.post('/inbound/relay', relay(deps));
  router.post('/inbound/ses', ses(deps));
  return router;
}
