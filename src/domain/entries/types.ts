/**
 * Entry: one line of what a member reports in a reply. Kinds follow the glossary: done (the
 * default), goal (`[ ]`, completed with `[x]`) and blocker (`!`).
 */
export type EntryKind = 'done' | 'goal' | 'blocker';

export interface Entry {
  kind: EntryKind;
  /** The line without its bullet and kind marker; tags and mentions stay in place. */
  text: string;
  /** A goal written as `[x]`. Always false for done and blocker entries. */
  completed: boolean;
  /** Lower-cased `#tags` without the hash, unique, in order of appearance. */
  tags: string[];
  /** `@mentions` without the at sign, lower-cased, unique. */
  mentions: string[];
  /** 0-based line number in the reply text, for linking back to the source. */
  line: number;
  /** The text was longer than `maxLength` and was cut. */
  truncated: boolean;
}

export interface ParseEntriesOptions {
  /** Longest entry text in characters (default 500); longer lines are cut and flagged. */
  maxLength?: number;
  /** Drop a later line whose normalised text equals an earlier one of the same kind (default true). */
  dedupe?: boolean;
}
