/**
 * POST /events/{sendgrid,mailgun,postmark,ses}: provider delivery events → one taxonomy →
 * the outbound engine's recordDeliveryEvent. 200 `{status, received, stored, matched,
 * informational, unknown}`; events for unknown messages, and events of types that move no
 * message, are stored and still 200. Bad credentials: SendGrid 403, Mailgun 406,
 * Postmark 403, SES 403; 404 when the endpoint is not configured.
 */
import { Router } from 'express';
import { mailgunEvents } from '../../../inbound/providers/mailgun.js';
import { postmarkEvents } from '../../../inbound/providers/postmark.js';
import { sendgridEvents } from '../../../inbound/providers/sendgrid.js';
import { sesEvents, sesInbound } from '../../../inbound/providers/ses.js';
import type { EventBatch } from '../../../inbound/providers/types.js';
import { readRawBody } from './body.js';
import type { InboundHttpDeps } from './deps.js';
import { disabled } from './webhooks.js';

export function createEventWebhookRouter(deps: InboundHttpDeps): Router {
  const { settings: s } = deps;
  const router = Router();

  const record = async (provider: string, batch: EventBatch) => {
    const nonce = batch.nonce ? { provider: `${provider}-events`, nonce: batch.nonce } : undefined;
    const r = await deps.events.record(batch.events, 'webhook', nonce, batch.unmapped);
    return { status: 'accepted', received: batch.events.length, ...r };
  };

  router.post('/events/sendgrid', async (req, res) => {
    if (s.sendgrid.eventPublicKeys.length === 0) disabled('SendGrid events');
    const body = await readRawBody(req, s.maxBytes.sendgrid);
    const batch = sendgridEvents(req.headers, body, {
      publicKeys: s.sendgrid.eventPublicKeys,
      maxAgeSeconds: s.sendgrid.eventMaxAgeSeconds,
      now: deps.clock.now(),
    });
    res.json(await record('sendgrid', batch));
  });

  router.post('/events/mailgun', async (req, res) => {
    if (s.mailgun.webhookSigningKeys.length === 0) disabled('Mailgun events');
    const body = await readRawBody(req, s.maxBytes.mailgun);
    const batch = mailgunEvents(body, {
      signingKeys: s.mailgun.webhookSigningKeys,
      maxAgeSeconds: s.mailgun.maxAgeSeconds,
      now: deps.clock.now(),
    });
    res.json(await record('mailgun', batch));
  });

  router.post('/events/postmark', async (req, res) => {
    if (s.postmark.webhookAuth.length === 0) disabled('Postmark events');
    const body = await readRawBody(req, s.maxBytes.postmark);
    res.json(
      await record(
        'postmark',
        postmarkEvents(req.headers, body, {
          authPairs: s.postmark.webhookAuth,
          now: deps.clock.now(),
        }),
      ),
    );
  });

  router.post('/events/ses', async (req, res) => {
    if (!deps.sns) disabled('SES events');
    const body = await readRawBody(req, s.maxBytes.ses);
    const message = await deps.sns.verify(body);
    if (message.Type === 'SubscriptionConfirmation') {
      const parsed = sesInbound(message);
      if (parsed.kind === 'subscribe') await deps.confirmSubscription(parsed);
      res.json({ status: 'confirming' });
      return;
    }
    res.json(await record('ses', sesEvents(message, deps.clock.now())));
  });

  return router;
}
