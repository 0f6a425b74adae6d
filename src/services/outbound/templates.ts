/**
 * Template use cases: every PUT stores a new version (nothing is overwritten), rendering is
 * strict, and compiled versions are cached (a version never changes once written).
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { TemplateVersion } from '../../domain/outbound/message.js';
import {
  compileTemplate,
  renderTemplate,
  type CompiledTemplate,
  type RenderedTemplate,
} from '../../templates/user-template.js';
import type { Database, Executor } from '../ports.js';
import type { TemplateRepository } from './ports/index.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const CACHE_MAX = 500;

export interface TemplateService {
  put(
    name: string,
    body: { subject: string; html?: string | undefined; text?: string | undefined },
  ): Promise<TemplateVersion>;
  get(name: string, version?: number): Promise<TemplateVersion & { versions: number[] }>;
  remove(name: string): Promise<void>;
  preview(
    name: string,
    data: Record<string, unknown>,
    version?: number,
  ): Promise<RenderedTemplate & { version: number }>;
  /** For accept: the version to use and its compiled form. */
  resolve(
    ex: Executor,
    name: string,
    version?: number,
  ): Promise<{ version: number; compiled: CompiledTemplate }>;
  render(compiled: CompiledTemplate, data: Record<string, unknown>): RenderedTemplate;
}

export interface TemplateDeps {
  db: Database;
  clock: Clock;
  templates: TemplateRepository;
}

/** Compiled versions by "name@version", oldest evicted first. */
type CompiledCache = Map<string, CompiledTemplate>;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new ValidationError(
      'Template names are letters, digits, ".", "_" and "-"',
      { name },
      'invalid_template_name',
    );
  }
}

function compiledFor(cache: CompiledCache, t: TemplateVersion): CompiledTemplate {
  const key = `${t.name}@${t.version}`;
  let c = cache.get(key);
  if (!c) {
    c = compileTemplate(t);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, c);
  }
  return c;
}

async function load(deps: TemplateDeps, ex: Executor, name: string, version?: number) {
  checkName(name);
  const t = await deps.templates.getTemplate(ex, name, version);
  if (!t) {
    throw new NotFoundError(
      'template_not_found',
      version ? `Template ${name} has no version ${version}` : `No template named ${name}`,
    );
  }
  return t;
}

async function put(deps: TemplateDeps, name: string, body: Parameters<TemplateService['put']>[1]) {
  checkName(name);
  const src = { subject: body.subject, html: body.html ?? null, text: body.text ?? null };
  compileTemplate(src); // 422 on syntax errors before anything is stored
  return deps.db.transaction((tx) =>
    deps.templates.insertTemplateVersion(tx, { name, ...src }, deps.clock.now()),
  );
}

async function get(deps: TemplateDeps, name: string, version?: number) {
  const t = await load(deps, deps.db, name, version);
  const versions = (await deps.templates.listTemplateVersions(deps.db, name)).map((v) => v.version);
  return { ...t, versions };
}

async function remove(deps: TemplateDeps, name: string): Promise<void> {
  checkName(name);
  const n = await deps.templates.deleteTemplate(deps.db, name, deps.clock.now());
  if (n === 0) throw new NotFoundError('template_not_found', `No template named ${name}`);
}

export function createTemplateService(deps: TemplateDeps): TemplateService {
  const cache: CompiledCache = new Map();
  return {
    put: (name, body) => put(deps, name, body),
    get: (name, version) => get(deps, name, version),
    remove: (name) => remove(deps, name),
    async preview(name, data, version) {
      const t = await load(deps, deps.db, name, version);
      return { ...renderTemplate(compiledFor(cache, t), data), version: t.version };
    },
    async resolve(ex, name, version) {
      const t = await load(deps, ex, name, version);
      return { version: t.version, compiled: compiledFor(cache, t) };
    },
    render: renderTemplate,
  };
}
