/**
 * Bearer API-key authentication for /v1. `createRequireScope(apiKeys)` gives a middleware
 * factory: `requireScope('send')` authenticates the key (401), checks the scope (403; admin
 * implies all) and puts the key on `req.apiKey`. Other features use it for their /v1 routes.
 */
import type { RequestHandler } from 'express';
import type { ApiKeyRecord, ApiScope } from '../../domain/outbound/message.js';
import type { ApiKeyService } from '../../services/outbound/index.js';

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKeyRecord;
  }
}

export type RequireScope = (scope: ApiScope) => RequestHandler;

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}

export function createRequireScope(
  apiKeys: Pick<ApiKeyService, 'authenticate' | 'authorize'>,
): RequireScope {
  return (scope) => async (req, _res, next) => {
    const key = await apiKeys.authenticate(bearerToken(req.header('authorization')));
    apiKeys.authorize(key, scope);
    req.apiKey = key;
    next();
  };
}

export function requireScope(
  apiKeys: Pick<ApiKeyService, 'authenticate' | 'authorize'>,
  scope: ApiScope,
): RequestHandler {
  return createRequireScope(apiKeys)(scope);
}
