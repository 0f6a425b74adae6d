/**
 * The check-in Entry as this module stores and shows it. The grammar that produces entries
 * from a reply (done, `[]` goal, `!` blocker, `[x]` completed, #tags, @mentions) belongs to
 * domain/entries; this is only the shape the digest, prompt and API read.
 */
export type EntryKind = 'done' | 'goal' | 'blocker';

export interface EntryView {
  kind: EntryKind;
  text: string;
  tags: string[];
  mentions: string[];
  completed?: boolean;
}
