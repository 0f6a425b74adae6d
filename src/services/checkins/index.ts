/**
 * The check-in services, built together from their ports. main/features/checkins.ts calls
 * this with the store, the queue and the other features' services.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Database, JobQueue, OutboundPort } from '../ports.js';
import { createAdminService } from './admin-service.js';
import { createDigestService } from './digest-service.js';
import { createLinks } from './links.js';
import { createPlannerService } from './planner-service.js';
import type { ExtractReply } from '../../reply/types.js';
import type { CheckinsStore, ParseEntries } from './ports.js';
import { createPreferencesService } from './preferences-service.js';
import { createPromptService } from './prompt-service.js';
import { createReplyService } from './reply-service.js';
import type { CheckinsSettings } from './settings.js';

export interface CheckinsServiceDeps {
  db: Database;
  store: CheckinsStore;
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
}

export function createCheckinsServices(d: CheckinsServiceDeps) {
  const links = createLinks(d.settings);
  const planner = createPlannerService(d);
  const prompts = createPromptService({ ...d, links });
  const replies = createReplyService({ ...d, links });
  const digests = createDigestService({ ...d, links });
  const admin = createAdminService(d);
  const preferences = createPreferencesService({ ...d, links });
  return { links, planner, prompts, replies, digests, admin, preferences, store: d.store };
}

export type CheckinsServices = ReturnType<typeof createCheckinsServices>;
