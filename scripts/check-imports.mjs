#!/usr/bin/env node
// Checks that imports between the folders of src/ point one way only, down this list of layers.
// Usage: node scripts/check-imports.mjs [--graph]   (--graph prints every folder-to-folder edge with its count)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

// Lower layers first; a file may import only from its own layer or a lower one. Files at the top of src/ are
// units of their own: errors, version, signals (leaves), rounds (probe, decide, restart, save: round after round),
// pass (wires the run) and main (the entry point).
const LAYERS = [
  ['text', 'util', 'errors', 'version'],
  ['graph'],
  ['config', 'cli'],
  ['probe'],
  ['plan'],
  ['act'],
  ['state'],
  ['report'],
  ['publish'],
  ['signals'],
  ['rounds'],
  ['pass'],
  ['commands'],
  ['main'],
  // Build only (the man pages): reads the tables of cli, config and report; nothing imports it.
  ['doc'],
];
const rankOf = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank])));

const unitOf = (file) => {
  const rel = relative(src, file).split('/');
  return rel.length === 1 ? rel[0].replace(/\.ts$/, '') : rel[0];
};

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const edges = new Map();
const problems = [];
for (const file of files(src)) {
  const from = unitOf(file);
  const text = readFileSync(file, 'utf8');
  // Static imports, re-exports and dynamic import() of relative paths.
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(file), m[1].replace(/\.js$/, '.ts'));
    // Outside src/ (package.json for the version): not a layer.
    if (relative(src, target).startsWith('..')) continue;
    const to = unitOf(target);
    if (to === from) continue;
    const key = `${from} -> ${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
    const [rf, rt] = [rankOf.get(from), rankOf.get(to)];
    if (rf === undefined) problems.push(`${relative(src, file)}: unit ${from} is in no layer`);
    else if (rt === undefined) problems.push(`${relative(src, file)}: imports ${m[1]}, whose unit ${to} is in no layer`);
    else if (rt > rf) problems.push(`${relative(src, file)}: ${from} imports ${m[1]} from the higher layer ${to}`);
  }
}
if (process.argv.includes('--graph')) {
  for (const [edge, count] of [...edges].sort()) console.log(`${edge} (${count})`);
}
if (problems.length > 0) {
  for (const p of [...new Set(problems)]) console.error(p);
  process.exitCode = 1;
} else {
  console.error(`imports between ${new Set([...edges.keys()].flatMap((e) => e.split(' -> '))).size} units of src/ point one way`);
}
