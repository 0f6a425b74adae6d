/**
 * Body readers for the webhook endpoints. Each endpoint has its own limit (413 above it,
 * checked on Content-Length first and on the bytes as they arrive), and nothing is parsed
 * before the handler asks: signatures are verified over these exact bytes.
 *
 * Forms are read with busboy with every value kept as bytes: fields are decoded as latin1,
 * which maps each byte to one code unit and back, because SendGrid posts text in whatever
 * charset the message used (named in its `charsets` field).
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, BadRequestError, PayloadTooLargeError } from '../../../lib/errors.js';
import type { FormPayload } from '../../../inbound/providers/types.js';

function checkDeclaredLength(req: Request, limit: number): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new PayloadTooLargeError(`Request body is larger than ${limit} bytes`, { limit });
  }
}

/** Drops the rest of an oversized upload without buffering it. */
function discard(req: Request): void {
  req.unpipe();
  req.resume();
}

/**
 * The body as one Buffer. With a Content-Length (every provider sends one) the buffer is
 * allocated once and filled as chunks arrive, so a 40 MB message is held once, not twice
 * (chunks plus their concatenation); a chunked body is collected and joined.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  checkDeclaredLength(req, limit);
  const declared = Number(req.headers['content-length']);
  const whole =
    req.headers['transfer-encoding'] === undefined && Number.isSafeInteger(declared) && declared > 0
      ? Buffer.allocUnsafe(declared)
      : null;
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit || (whole && size + chunk.length > whole.length)) {
        req.off('data', onData);
        discard(req);
        reject(new PayloadTooLargeError(`Request body is larger than ${limit} bytes`, { limit }));
        return;
      }
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.length;
    };
    req.on('data', onData);
    req.once('end', () => resolve(whole ? whole.subarray(0, size) : Buffer.concat(chunks, size)));
    req.once('error', (err) => reject(new AppError(400, 'body_read_failed', err.message)));
    // A client that goes away mid-body: no 'end' will come (a settled promise ignores this).
    req.once('close', () =>
      reject(new AppError(400, 'body_read_failed', 'The client closed the request early')),
    );
  });
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** A form's bytes, read whole (415 for another type, 413 over the limit); parse with parseForm. */
export async function readFormBody(req: Request, limit: number): Promise<Buffer> {
  checkDeclaredLength(req, limit);
  const type = req.headers['content-type'] ?? '';
  if (!FORM_TYPES.test(type)) {
    throw new AppError(
      415,
      'unsupported_media_type',
      'Expected multipart/form-data or application/x-www-form-urlencoded',
    );
  }
  return readRawBody(req, limit);
}

/**
 * The fields and files of a form read by readFormBody. Parsed from the buffer rather than the
 * socket so that the costly part (busboy joins a field and decodes it, we copy it back to
 * bytes) can run under the ingest budget, and a slow upload holds no budget while it arrives.
 */
export function parseForm(
  headers: Request['headers'],
  body: Buffer,
  limit: number,
): Promise<FormPayload> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers,
      defCharset: 'latin1',
      defParamCharset: 'utf8',
      // Keep a file name as sent (busboy would cut it at the last slash or backslash).
      preservePath: true,
      limits: { fieldSize: limit, fileSize: limit, fields: 1000, files: 100, parts: 1100 },
    });
  } catch (err) {
    throw new BadRequestError('malformed_multipart', (err as Error).message);
  }
  const form: FormPayload = { fields: new Map(), files: [] };
  let failed = false;
  return new Promise((resolve, reject) => {
    const fail = (err: AppError) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    const tooLarge = () =>
      fail(new PayloadTooLargeError(`Request body is larger than ${limit} bytes`, { limit }));
    // A part without a name (`Content-Disposition: form-data` alone) carries nothing we read.
    bb.on('field', (name: string | undefined, value, info) => {
      if (info.valueTruncated) return tooLarge();
      if (name !== undefined) form.fields.set(name, Buffer.from(value, 'latin1'));
    });
    bb.on('file', (name: string | undefined, stream, info) => {
      if (name === undefined) return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', tooLarge);
      stream.on('end', () => {
        form.files.push({
          field: name,
          filename: info.filename ?? name,
          contentType: info.mimeType,
          content: Buffer.concat(chunks),
        });
      });
    });
    bb.on('partsLimit', () => fail(new BadRequestError('malformed_multipart', 'Too many parts')));
    bb.on('error', (err: Error) => fail(new BadRequestError('malformed_multipart', err.message)));
    bb.on('close', () => {
      if (!failed) resolve(form);
    });
    bb.end(body);
  });
}
