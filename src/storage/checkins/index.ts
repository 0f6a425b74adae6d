/** The Postgres implementation of services/checkins CheckinsStore, assembled from the statement modules. */
import type { CheckinsStore } from '../../services/checkins/ports.js';
import * as digests from './digests-sql.js';
import * as entries from './entries-sql.js';
import * as planner from './planner-sql.js';
import * as prompts from './prompts-sql.js';
import * as teams from './teams-sql.js';

export function createCheckinsStore(): CheckinsStore {
  return { ...planner, ...prompts, ...entries, ...digests, ...teams };
}
