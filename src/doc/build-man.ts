// Build step (npm run build): writes the man pages to dist/man/, from the same tables as --help and the config parser.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderManPages } from './man-pages.js';

const root = resolve(process.argv[2] ?? '.');
const out = join(root, 'dist', 'man');
mkdirSync(out, { recursive: true });
for (const page of renderManPages(root)) {
  writeFileSync(join(out, page.file), page.text);
  process.stdout.write(`man: dist/man/${page.file}\n`);
}
