/**
 * Entries grammar: turns the text of a reply into done, goal and blocker entries. Pure.
 */
export {
  DEFAULT_MAX_ENTRY_LENGTH,
  normalizeEntryText,
  parseEntries,
  tagsIn,
} from './parse-entries.js';
export type { Entry, EntryKind, ParseEntriesOptions } from './types.js';
