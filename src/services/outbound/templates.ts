/**
 * Template use cases: every PUT stores a new version (nothing is overwritten), rendering is
 * strict, and compiled versions are cached (a version never changes once written).
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { TemplateVersion } from '../../domain/outbound/message.js';
import {
  compileTemplate,
  renderTemplate,
  type CompiledTemplate,
  type RenderedTemplate,
} from '../../templates/user-template.js';
import type { Executor } from '../ports.js';
import type { OutboundDeps } from './settings.js';

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

export function createTemplateService(deps: OutboundDeps): TemplateService {
  const { db, store, clock } = deps;
  const cache = new Map<string, CompiledTemplate>();
  const checkName = (name: string) => {
    if (!NAME.test(name)) {
      throw new ValidationError(
        'Template names are letters, digits, ".", "_" and "-"',
        { name },
        'invalid_template_name',
      );
    }
  };
  const compiledFor = (t: TemplateVersion): CompiledTemplate => {
    const key = `${t.name}@${t.version}`;
    let c = cache.get(key);
    if (!c) {
      c = compileTemplate(t);
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(key, c);
    }
    return c;
  };
  const load = async (ex: Executor, name: string, version?: number) => {
    checkName(name);
    const t = await store.getTemplate(ex, name, version);
    if (!t) {
      throw new NotFoundError(
        'template_not_found',
        version ? `Template ${name} has no version ${version}` : `No template named ${name}`,
      );
    }
    return t;
  };

  return {
    async put(name, body) {
      checkName(name);
      const src = { subject: body.subject, html: body.html ?? null, text: body.text ?? null };
      compileTemplate(src); // 422 on syntax errors before anything is stored
      return db.transaction((tx) => store.insertTemplateVersion(tx, { name, ...src }, clock.now()));
    },
    async get(name, version) {
      const t = await load(db, name, version);
      const versions = (await store.listTemplateVersions(db, name)).map((v) => v.version);
      return { ...t, versions };
    },
    async remove(name) {
      checkName(name);
      const n = await store.deleteTemplate(db, name, clock.now());
      if (n === 0) throw new NotFoundError('template_not_found', `No template named ${name}`);
    },
    async preview(name, data, version) {
      const t = await load(db, name, version);
      return { ...renderTemplate(compiledFor(t), data), version: t.version };
    },
    async resolve(ex, name, version) {
      const t = await load(ex, name, version);
      return { version: t.version, compiled: compiledFor(t) };
    },
    render: renderTemplate,
  };
}
