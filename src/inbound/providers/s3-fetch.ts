/**
 * Fetches the object an SES receipt rule's S3 action stored (mail over SNS's 150 KB limit).
 * A plain GET signed with AWS Signature Version 4, so no AWS SDK is needed; `endpoint` allows
 * S3-compatible stores (path-style then). Size is capped by the caller's limit.
 *
 * The GET goes through the SSRF guard (lib/net/guarded-request.ts): the bucket name comes from
 * the SES notification, so an AWS host must resolve to public addresses. An endpoint the
 * operator configured (MinIO on the LAN, say) is trusted as it is.
 */
import { createHash, createHmac } from 'node:crypto';
import { guardedRequest, type Resolver } from '../../lib/net/guarded-request.js';

export interface S3FetchOptions {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** e.g. http://127.0.0.1:9000 for MinIO; unset means virtual-hosted AWS S3. */
  endpoint?: string;
  maxBytes: number;
  timeoutMs?: number;
  resolve?: Resolver;
  now?: () => Date;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding of each path segment, as SigV4 requires (slashes kept). */
const encodePath = (path: string) =>
  path
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

export function signS3Get(
  o: Pick<S3FetchOptions, 'region' | 'accessKeyId' | 'secretAccessKey'>,
  host: string,
  path: string,
  at: Date,
  extraHeaders: Record<string, string> = {},
): Record<string, string> {
  const amzDate = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256('');
  const headers: Record<string, string> = {
    host,
    ...lower(extraHeaders),
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'GET',
    encodePath(path),
    '',
    ...names.map((n) => `${n}:${headers[n]!.trim()}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/${o.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${o.secretAccessKey}`, day), o.region), 's3'),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${o.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

export function createS3Fetcher(
  o: S3FetchOptions,
): (bucket: string, key: string) => Promise<Buffer> {
  return async (bucket, key) => {
    const base = o.endpoint
      ? new URL(o.endpoint)
      : new URL(`https://${bucket}.s3.${o.region}.amazonaws.com`);
    const path = o.endpoint ? `/${bucket}/${key}` : `/${key}`;
    const headers = signS3Get(o, base.host, path, o.now?.() ?? new Date());
    delete headers.host;
    const res = await guardedRequest(new URL(encodePath(path), base).toString(), {
      headers,
      timeoutMs: o.timeoutMs ?? 10_000,
      maxResponseBytes: o.maxBytes,
      allowPrivate: o.endpoint !== undefined,
      ...(o.resolve ? { resolve: o.resolve } : {}),
    }).catch((err: Error) => {
      throw err.message.startsWith('response is larger')
        ? new Error(`S3 object is larger than ${o.maxBytes} bytes`)
        : err;
    });
    if (res.status < 200 || res.status >= 300)
      throw new Error(`S3 GET ${bucket}/${key} failed: HTTP ${res.status}`);
    return res.body;
  };
}
