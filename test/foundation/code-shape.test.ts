/**
 * The shape docs/architecture.md promises, measured by scripts/code-shape.ts: small files,
 * small functions, narrow ports, and SQL only in storage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureCodeShape } from '../../scripts/code-shape.js';

const shape = measureCodeShape(process.cwd());

test('no file in src/ is over 300 lines', () => {
  expect(shape.files.filter((f) => f.lines > 300)).toEqual([]);
});

test('no function in src/ is over 80 lines', () => {
  expect(shape.functions.filter((f) => f.lines > 80)).toEqual([]);
});

test('no port or repository interface is a wide bag (over 25 members)', () => {
  expect(shape.ports.filter((p) => p.members > 25)).toEqual([]);
});

test('no `.query(` call outside src/storage', () => {
  const outside = shape.files
    .map((f) => f.path)
    .filter((path) => !path.startsWith('src/storage/'))
    .filter((path) => /\.query\(/.test(readFileSync(join(process.cwd(), path), 'utf8')));
  expect(outside).toEqual([]);
});
