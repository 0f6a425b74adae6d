/** The web dashboard's settings: sign-in links, sessions, the login rate limit, member links. */
import { z } from 'zod';
import { intWithDefault, optionalString, parseSection, type Env } from './env.js';

const schema = z.object({
  DASHBOARD_LOGIN_LINK_TTL_MINUTES: intWithDefault(15, 1, 1440),
  DASHBOARD_SESSION_TTL_HOURS: intWithDefault(168, 1, 24 * 90),
  /** Login form posts per client IP per 15 minutes. */
  DASHBOARD_LOGIN_RATE_LIMIT: intWithDefault(10, 1, 10000),
  /** Links mailed to one address per link lifetime. */
  DASHBOARD_LOGIN_LINKS_PER_ADDRESS: intWithDefault(5, 1, 1000),
  /** Default: on outside production, so a fresh install can sign in without mail set up. */
  DASHBOARD_LOG_LOGIN_LINKS: optionalString().pipe(boolWithDefaultOrUnset()),
  DASHBOARD_MEMBER_LINK_TTL_DAYS: intWithDefault(14, 1, 365),
  DASHBOARD_PAGE_SIZE: intWithDefault(50, 5, 500),
  DASHBOARD_COOKIE_SECURE: optionalString().pipe(boolWithDefaultOrUnset()),
});

function boolWithDefaultOrUnset() {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional();
}

export interface DashboardConfig {
  loginLinkTtlMinutes: number;
  sessionTtlHours: number;
  loginRateLimit: number;
  loginLinksPerAddress: number;
  logLoginLinks: boolean;
  memberLinkTtlDays: number;
  pageSize: number;
  /** Unset: Secure exactly when PUBLIC_URL is https. */
  cookieSecure: boolean | undefined;
}

export const dashboardSchema = schema;

export function toDashboardConfig(v: z.infer<typeof schema>, nodeEnv: string): DashboardConfig {
  return {
    loginLinkTtlMinutes: v.DASHBOARD_LOGIN_LINK_TTL_MINUTES,
    sessionTtlHours: v.DASHBOARD_SESSION_TTL_HOURS,
    loginRateLimit: v.DASHBOARD_LOGIN_RATE_LIMIT,
    loginLinksPerAddress: v.DASHBOARD_LOGIN_LINKS_PER_ADDRESS,
    logLoginLinks: v.DASHBOARD_LOG_LOGIN_LINKS ?? nodeEnv !== 'production',
    memberLinkTtlDays: v.DASHBOARD_MEMBER_LINK_TTL_DAYS,
    pageSize: v.DASHBOARD_PAGE_SIZE,
    cookieSecure: v.DASHBOARD_COOKIE_SECURE,
  };
}

export function parseDashboardConfig(
  env: Env,
  nodeEnv: string,
  problems: string[],
): DashboardConfig | undefined {
  const v = parseSection(schema, env, problems);
  return v ? toDashboardConfig(v, nodeEnv) : undefined;
}
