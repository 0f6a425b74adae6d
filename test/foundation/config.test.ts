import { ConfigError, loadConfig } from '../../src/config/index.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  test('an empty environment gives the embedded defaults', () => {
    const c = loadConfig({});
    expect(c.database.url).toBeUndefined();
    expect(c.database.dataDir).toBe('./.data/pg');
    expect(c.http.port).toBe(3000);
    expect(c.http.publicUrl).toBe('http://localhost:3000');
    expect(c.log.level).toBe('info');
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('empty strings count as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).http.port).toBe(3000);
  });

  test('each invalid value is reported by variable name, all at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      PUBLIC_URL: 'not a url',
    });
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(/got "eighty"/);
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\//);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('PUBLIC_URL:'))).toMatch(/absolute URL/);
  });

  test('secrets are never echoed back', () => {
    const problems = problemsOf({ SECRET_KEY: 'short' });
    expect(problems.join('\n')).toMatch(/SECRET_KEY: .*at least 32/);
    expect(problems.join('\n')).not.toContain('short');
  });

  test('production with an external database requires SECRET_KEY', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/postroom' });
    expect(problems.some((p) => p.startsWith('SECRET_KEY:'))).toBe(true);
  });

  test('the error message lists the variables', () => {
    expect(() => loadConfig({ PG_POOL_MAX: '0' })).toThrow(/PG_POOL_MAX/);
  });
});
