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
  /** mailparser's From: the sender, when no context names one. */
  from?: { value?: ReadonlyArray<{ name?: string; address?: string }> } | null;
}

export type ReplyMethod =
  | 'empty'
  | 'plain'
  | 'marker'
  | 'quote-header'
  | 'header-block'
  | 'quote-block'
  | 'inline'
  | 'email-reply-parser'
  | 'parent';

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
  | 'sender-name'
  | 'valediction'
  | 'signature-block'
  | 'parent'
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

/** Who sent the reply, as far as we know: the names a sign-off may use, and the address. */
export interface ReplySender {
  /** The display name from `From:`. */
  name?: string | null;
  address?: string | null;
  /** Other names on record for the sender (a check-in member's name). */
  otherNames?: readonly string[];
}

/**
 * What we know about a reply beyond its bytes. Every field is optional; without a context the
 * extractor works from the text alone.
 */
export interface ReplyContext {
  sender?: ReplySender;
  /** The text and HTML bodies of our own messages the reply answers (prompt, reminder, …). */
  parents?: readonly string[];
  /** Fall back to email-reply-parser when our rules find no quote boundary (default true). */
  useEmailReplyParser?: boolean;
}

/** The extractor as a dependency: services receive it, tests may pass their own. */
export type ExtractReply = (input: ReplyInput, context?: ReplyContext) => ReplyResult;
