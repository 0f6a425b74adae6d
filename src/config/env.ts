/**
 * Small zod helpers for environment variables. Every section of the config (core.ts,
 * outbound.ts, inbound.ts, …) builds its schema from these, so errors read the same everywhere.
 */
import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

/** Empty strings count as unset: `FOO=` in a .env file means "use the default". */
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const optionalString = () => z.preprocess(unsetIfEmpty, z.string().optional());
export const stringWithDefault = (d: string) => z.preprocess(unsetIfEmpty, z.string().default(d));

export const intWithDefault = (d: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(d));

export const numberWithDefault = (d: number, min = 0) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().min(min).default(d));

export const boolWithDefault = (d: boolean) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .optional()
      .transform((v) => (v === undefined ? d : v === 'true' || v === '1' || v === 'yes')),
  );

/** A comma-separated list; secrets are lists so that they can be rotated without downtime. */
export const csvList = () =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .optional()
      .transform((v) =>
        v === undefined
          ? []
          : v
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s.length > 0),
      ),
  );

export const urlString = () =>
  z.string().refine((v) => {
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be an absolute URL');

/** Raised with every bad variable named, so one start-up shows all that is wrong. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses `env` with `schema`; issues are reported by variable name. */
export function parseSection<S extends z.ZodType>(
  schema: S,
  env: Env,
  problems: string[],
): z.infer<S> | undefined {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const name = issue.path.join('.') || '(config)';
    const got = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const shown = got === undefined ? 'it is not set' : `got "${redact(name, got)}"`;
    problems.push(`${name}: ${issue.message} (${shown})`);
  }
  return undefined;
}

function redact(name: string, value: string): string {
  return /SECRET|KEY|TOKEN|PASSWORD|AUTH/.test(name) ? '***' : value;
}
