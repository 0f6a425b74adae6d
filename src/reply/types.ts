/**
 * Public shapes of reply extraction. The input is deliberately structural: a mailparser
 * ParsedMail satisfies it, and so does a plain `{ text, html }`, so this module never
 * imports a MIME parser.
 */

/** Header bag as mailparser exposes it (a Map) or a plain record. */
export type HeaderBag = Map<string, unknown> | Record<string, unknown>;

export interface ReplyInput {
  text?: string | null | false;
  html?: string | null | false;
  headers?: HeaderBag;
  /** The text body is RFC 3676 format=flowed and still encoded (mailparser decodes it already). */
  flowed?: boolean;
}

export type ReplyMethod =
  | 'empty'
  | 'plain'
  | 'marker'
  | 'quote-header'
  | 'header-block'
  | 'quote-block'
  | 'inline'
  | 'email-reply-parser';

/**
 * Flags record every decision that removed or kept something, so a stored reply can explain
 * itself and the web UI can offer "show what was cut".
 */
export type ReplyFlag =
  | 'html-body'
  | 'html-quote-cut'
  | 'marker'
  | 'quote-header'
  | 'header-block'
  | 'quote-block'
  | 'inline-reply'
  | 'kept-typed-quote'
  | 'bottom-post'
  | 'only-quotes'
  | 'signature'
  | 'mobile-footer'
  | 'footer'
  | 'email-reply-parser'
  | 'long-lines'
  | 'long-body';

export interface ReplyResult {
  /** Exactly what the person wrote, trimmed, LF line endings. */
  text: string;
  /** The history that was cut (attribution lines, quoted lines, header blocks). */
  quoted: string;
  /** Signature, mobile footer and disclaimer lines that were cut. */
  signature: string;
  method: ReplyMethod;
  flags: ReplyFlag[];
}

export interface ReplyOptions {
  /** Fall back to email-reply-parser when our rules find no quote boundary (default true). */
  useEmailReplyParser?: boolean;
}

/** The extractor as a dependency: services receive it, tests may pass their own. */
export type ExtractReply = (input: ReplyInput, options?: ReplyOptions) => ReplyResult;
