// Runs scripts/install.sh and scripts/uninstall.sh into a temp root; a stand-in binary when none is built.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../helpers/util.js';
import { builtBinary } from '../helpers/command.js';

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The binary that `npm run build` writes. */
export { builtBinary };
export const packaging = (...parts: string[]): string => resolve(repoRoot, 'packaging', ...parts);
export const version: string = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')).version;

/** Runs scripts/<name> with /bin/sh and DESTDIR=root; refuses any root outside the temp dir, so /etc stays untouched. */
export function runScript(name: 'install.sh' | 'uninstall.sh', root: string, args: string[] = []): ScriptResult {
  if (!resolve(root).startsWith(`${tmpdir()}/`)) throw new Error(`refusing to install outside ${tmpdir()}: ${root}`);
  const run = spawnSync('/bin/sh', [resolve(repoRoot, 'scripts', name), ...args], {
    env: { PATH: '/usr/bin:/bin', DESTDIR: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The built binary if there is one, else a script in dir that answers `--version` like it. */
export function binaryFor(dir: string): string {
  if (existsSync(builtBinary)) return builtBinary;
  const standIn = join(dir, 'autoheal-once-stand-in');
  writeFileSync(standIn, `#!/bin/sh\n[ "$1" = --version ] && echo ${version}\n`);
  chmodSync(standIn, 0o755);
  return standIn;
}

/** Every file and symlink under root, as root-relative paths, sorted. */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(root.length))
    .sort();
}

/** Permission bits of a mode, as the octal string `ls -l` users read. */
export const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/** The commented example of packaging/conf.example.yaml (everything after "# Example"), uncommented. */
export function uncommentExample(text: string): string {
  const lines = text.split('\n');
  return lines
    .slice(lines.findIndex((l) => l.startsWith('# Example')) + 1)
    .map((l) => l.replace(/^# ?/, ''))
    .join('\n');
}
