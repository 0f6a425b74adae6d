/**
 * Reply extraction: turns an inbound reply into exactly what the person wrote. Pure, no I/O.
 */
export { extractReply, REPLY_MARKER } from './extract-reply.js';
export { normalizeForComparison } from './normalize-text.js';
export type {
  ExtractReply,
  ReplyFlag,
  ReplyInput,
  ReplyMethod,
  ReplyContext,
  ReplySender,
  ReplyResult,
} from './types.js';
