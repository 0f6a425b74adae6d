/**
 * Measures the shape the architecture promises (docs/architecture.md): file length, function
 * length, and the width of every port interface. `npm run shape` prints the largest of each;
 * test/foundation/code-shape.test.ts holds the limits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface FileShape {
  path: string;
  lines: number;
}
export interface FunctionShape {
  path: string;
  name: string;
  line: number;
  lines: number;
}
export interface PortShape {
  path: string;
  name: string;
  members: number;
}
export interface CodeShape {
  files: FileShape[];
  functions: FunctionShape[];
  ports: PortShape[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

function functionName(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return '(anonymous)';
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

function measureFile(root: string, file: string, shape: CodeShape): void {
  const text = readFileSync(file, 'utf8');
  const path = relative(root, file);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  shape.files.push({ path, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    if (isFunctionLike(node) && node.body) {
      const start = lineOf(node.getStart(source));
      shape.functions.push({
        path,
        name: functionName(node),
        line: start,
        lines: lineOf(node.end) - start + 1,
      });
    }
    if (
      ts.isInterfaceDeclaration(node) &&
      /(Port|Store|Repo|Repository|Reader)$/.test(node.name.text)
    ) {
      shape.ports.push({ path, name: node.name.text, members: node.members.length });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

export function measureCodeShape(root: string, dir = 'src'): CodeShape {
  const shape: CodeShape = { files: [], functions: [], ports: [] };
  for (const file of sourceFiles(join(root, dir))) measureFile(root, file, shape);
  shape.files.sort((a, b) => b.lines - a.lines);
  shape.functions.sort((a, b) => b.lines - a.lines);
  shape.ports.sort((a, b) => b.members - a.members);
  return shape;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const top = Number(process.argv[2] ?? 10);
  const shape = measureCodeShape(process.cwd());
  console.log(`files: ${shape.files.length}, over 300 lines:`);
  for (const f of shape.files.filter((x) => x.lines > 300)) console.log(`  ${f.lines}  ${f.path}`);
  console.log(`largest ${top} files:`);
  for (const f of shape.files.slice(0, top)) console.log(`  ${f.lines}  ${f.path}`);
  console.log(
    `longest ${top} functions (over 80 lines: ${shape.functions.filter((f) => f.lines > 80).length}):`,
  );
  for (const f of shape.functions.slice(0, top)) {
    console.log(`  ${f.lines}  ${f.path}:${f.line} ${f.name}`);
  }
  console.log(`widest ${top} ports:`);
  for (const p of shape.ports.slice(0, top)) console.log(`  ${p.members}  ${p.path} ${p.name}`);
}
