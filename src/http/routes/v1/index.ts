/** Mounts the outbound /v1 routes, /u/:token and the OpenAPI document. */
import type { Express } from 'express';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { createRequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { keysRouter } from './keys.js';
import { messagesRouter } from './messages.js';
import { suppressionsRouter } from './suppressions.js';
import { templatesRouter } from './templates.js';
import { unsubscribeRouter } from './unsubscribe.js';
import { webhooksRouter } from './webhooks.js';

export function mountOutboundRoutes(
  app: Express,
  s: OutboundServices,
  api: OpenApiRegistry,
  info: { version: string; publicUrl: string },
): void {
  const requireScope = createRequireScope(s.apiKeys);
  app.use(messagesRouter(s, requireScope, api));
  app.use(templatesRouter(s, requireScope, api));
  app.use(suppressionsRouter(s, requireScope, api));
  app.use(webhooksRouter(s, requireScope, api));
  app.use(keysRouter(s, requireScope, api));
  app.use(unsubscribeRouter(s, api));
  // Built per request: features mounted after us add routes to the same registry.
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(
      api.document({ title: 'Postroom API', version: info.version, serverUrl: info.publicUrl }),
    );
  });
}
