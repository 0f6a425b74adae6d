/**
 * The check-in services, built together from their ports. main/features/checkins.ts calls
 * this with the check-in repositories (storage/index.ts), the queue and the other features'
 * services; each service keeps only the repositories it names in its deps.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Database, JobQueue, OutboundPort } from '../ports.js';
import type { Telemetry } from '../telemetry.js';
import { createAdminService } from './admin.js';
import { createDigestService } from './digests.js';
import { createEntryService } from './entries.js';
import { createLinks } from './links.js';
import { createCheckinsMailbox } from './mailbox.js';
import { createPlannerService } from './planner.js';
import type { ExtractReply } from '../../reply/types.js';
import type {
  CheckInTickRepository,
  DigestRepository,
  EntryRepository,
  MemberRepository,
  ParseEntries,
  PromptRepository,
  TeamRepository,
} from './ports.js';
import { createPreferencesService } from './preferences.js';
import { createPromptService } from './prompts.js';
import { createReplyService } from './replies.js';
import type { CheckinsSettings } from './settings.js';

/** Every check-in repository: main/ passes storage/index.ts's `repositories`. */
export interface CheckinsRepositories {
  teams: TeamRepository;
  members: MemberRepository;
  prompts: PromptRepository;
  entries: EntryRepository;
  digests: DigestRepository;
  checkInTicks: CheckInTickRepository;
}

export interface CheckinsServiceDeps {
  db: Database;
  repositories: CheckinsRepositories;
  queue: JobQueue;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  settings: CheckinsSettings;
  clock: Clock;
  log: Logger;
  extractReply: ExtractReply;
  parseEntries: ParseEntries;
  /** The marker line above which replies are read (issue 6's REPLY_MARKER). */
  marker?: string;
  /** A signed link to the member's own dashboard page, put in every prompt and reminder. */
  memberPageUrl?: (memberId: string, now: Date) => string;
  /** Reminders skipped and why (the repositories count the rest: instrumented.ts). */
  telemetry?: Pick<Telemetry, 'checkinMail'>;
}

/** Only the check-in repositories, picked from storage's whole map. */
function own(r: CheckinsRepositories): CheckinsRepositories {
  const { teams, members, prompts, entries, digests, checkInTicks } = r;
  return { teams, members, prompts, entries, digests, checkInTicks };
}

export function createCheckinsServices(deps: CheckinsServiceDeps) {
  // One flat object: each service's deps name the repositories it uses, next to db and clock.
  const d = { ...deps, ...own(deps.repositories) };
  const links = createLinks(d.settings);
  const planner = createPlannerService(d);
  const prompts = createPromptService({ ...d, links });
  const replies = createReplyService({ ...d, links });
  const mailbox = createCheckinsMailbox({ ...d, replies });
  const digests = createDigestService({ ...d, links });
  const admin = createAdminService(d);
  const entries = createEntryService(d);
  const preferences = createPreferencesService({ ...d, links });
  return { links, planner, prompts, replies, mailbox, digests, admin, entries, preferences };
}

export type CheckinsServices = ReturnType<typeof createCheckinsServices>;
