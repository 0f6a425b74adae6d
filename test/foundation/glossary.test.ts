/**
 * The glossary names every table the migrations create, so a new table cannot arrive without a
 * noun and a home (docs/glossary.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();

function migrationTables(): string[] {
  const dir = join(root, 'migrations');
  const sql = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  return [...sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)].map((m) => m[1]!);
}

test('every table in migrations/ is named in docs/glossary.md', () => {
  const glossary = readFileSync(join(root, 'docs', 'glossary.md'), 'utf8');
  const tables = migrationTables();
  expect(tables.length).toBeGreaterThan(30);
  expect(tables.filter((t) => !glossary.includes(`\`${t}\``))).toEqual([]);
});

test('the glossary names no table the migrations do not create', () => {
  const glossary = readFileSync(join(root, 'docs', 'glossary.md'), 'utf8');
  const tables = new Set(migrationTables());
  const tableColumn = glossary
    .split('\n')
    .filter((l) => l.startsWith('| **'))
    .map((l) => l.split('|')[3] ?? '');
  const named = tableColumn.flatMap((cell) => [...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!));
  expect(named.filter((t) => !tables.has(t))).toEqual([]);
});
