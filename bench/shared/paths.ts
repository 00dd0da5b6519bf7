// Where the bench finds the project: its root (walked up to from here, the source or the compiled copy) and dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The repository root. */
export const ROOT = findRoot(import.meta.dirname);
/** The tsup bundle and the single executable packed from it. */
export const BUNDLE = join(ROOT, 'dist', 'autoheal-once.cjs');
export const BINARY = join(ROOT, 'dist', 'autoheal-once');
