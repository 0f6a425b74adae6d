/**
 * Assembles the stores (docs/architecture.md, "Storage"): every repository module, each checked
 * with `satisfies` against the port its feature declares, and the dashboard's read models bound
 * to the database. main/ takes them from here; nothing else imports a repository module.
 */

// ---------------------------------------------------------------- outbound

// ---------------------------------------------------------------- inbound

// ---------------------------------------------------------------- check-ins

import type {
  CheckInTickRepository,
  DigestRepository,
  EntryRepository,
  MemberRepository,
  PromptRepository,
  TeamRepository,
} from '../services/checkins/ports.js';
import * as checkInTicks from './repositories/check-in-ticks.js';
import * as digests from './repositories/digests.js';
import * as entries from './repositories/entries.js';
import * as members from './repositories/members.js';
import * as prompts from './repositories/prompts.js';
import * as teams from './repositories/teams.js';

// ---------------------------------------------------------------- dashboard

export const repositories = {
  // outbound

  // inbound

  // check-ins
  teams: teams satisfies TeamRepository,
  members: members satisfies MemberRepository,
  prompts: prompts satisfies PromptRepository,
  entries: entries satisfies EntryRepository,
  digests: digests satisfies DigestRepository,
  checkInTicks: checkInTicks satisfies CheckInTickRepository,

  // dashboard
};
