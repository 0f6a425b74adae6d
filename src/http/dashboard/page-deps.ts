/** What every page module receives. */
import type { Clock } from '../../lib/clock.js';
import type { PageKit } from './page-kit.js';
import type { DashboardServices } from './services.js';

export interface PageDeps {
  services: DashboardServices;
  kit: PageKit;
  pageSize: number;
  clock: Clock;
}
