import { pingQueue } from '../../jobs/system.js';
import type { Feature } from '../feature.js';

/** The queue self-test every deployment has, whatever features are enabled. */
export function createSystemFeature(): Feature {
  return { name: 'system', queues: [pingQueue] };
}
