/**
 * What `postroom demo` seeds: one team, three members in three time zones, and what each of
 * them answers on the working days of the week before (null: no reply, the prompt is missed).
 * Replies use the whole entry grammar: done lines, `[]` goals, `[x]` a goal met, `!` blockers,
 * #tags and @mentions.
 */
export const DEMO_TEAM = 'Postroom demo';
export const DEMO_DOMAIN = 'demo.postroom.example';

export interface DemoMember {
  name: string;
  email: string;
  timeZone: string;
  /** Replies for the working days of the week, oldest first; null: no reply. */
  replies: Array<string | null>;
}

export const DEMO_MEMBERS: DemoMember[] = [
  {
    name: 'Ana Lima',
    email: `ana@${DEMO_DOMAIN}`,
    timeZone: 'America/New_York',
    replies: [
      'Shipped the #billing export for @bo\n[] Write the migration guide',
      'Paired with @kenji on the #api rate limits\n! Waiting on legal for the new terms',
      null,
      '[x] Write the migration guide\nReviewed the #billing refunds PR',
      'Fixed the flaky #api contract test\n[] Draft the Q3 roadmap',
    ],
  },
  {
    name: 'Bo Berg',
    email: `bo@${DEMO_DOMAIN}`,
    timeZone: 'Europe/Berlin',
    replies: [
      'Tuned the #billing queries (p99 down to 40 ms)',
      'Reviewed the deploy scripts with @ana\n[] Move the staging database to PostgreSQL 18',
      '! Staging is down until ops renews the certificate',
      'Renewed the certificate with ops\n[x] Move the staging database to PostgreSQL 18',
      null,
    ],
  },
  {
    name: 'Kenji Sato',
    email: `kenji@${DEMO_DOMAIN}`,
    timeZone: 'Asia/Tokyo',
    replies: [
      'Translated the onboarding mails into Japanese #i18n',
      '[] Ship the #api pagination change\nAnswered three support tickets',
      '[x] Ship the #api pagination change\nWrote the changelog',
      null,
      'Load-tested the #api with @bo\n! Need a second reviewer for the SDK release',
    ],
  },
];
