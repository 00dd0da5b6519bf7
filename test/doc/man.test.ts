// The man pages are made from the tables --help, the parser and the schema use: they list every command, option and
// key, the built ones are what the sources give now, and groff and man render them without a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, OPTIONS } from '../../src/cli/usage.js';
import { DEFAULTS_KEYS, DEP_KEYS, SERVICE_KEYS } from '../../src/config/keys.js';
import type { KeyTable } from '../../src/config/table.js';
import { renderManPages, releaseDate } from '../../src/doc/man-pages.js';
import { escapeText, prose } from '../../src/doc/roff.js';
import { version } from '../../src/version.js';
import { repoRoot, tempDir } from '../helpers/util.js';

const pages = renderManPages(repoRoot);
const page = (file: string): string => pages.find((p) => p.file === file)!.text;
const hasTool = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const noGroff = !hasTool('groff') && 'groff is not installed (.ci/apt-packages lists it)';
const noMan = !hasTool('man') && 'man is not installed (man-db in .ci/apt-packages)';

/** The sections of a page by .SH heading, each as its roff lines. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/^\.SH /m).slice(1)) out.set(part.slice(0, part.indexOf('\n')), part);
  return out;
}

/** The keys a section tags (".TP" then "\fBkey\fR (type...)"). */
function taggedKeys(section: string): string[] {
  return [...section.matchAll(/^\.TP\n\\fB([^\\]+)\\fR \(/gm)].map((m) => m[1]!.replace(/\\-/g, '-'));
}

test('autoheal-once(1) lists every command and every option of the help tables', () => {
  const s = sections(page('autoheal-once.1'));
  for (const c of COMMANDS) assert.match(s.get('COMMANDS')!, new RegExp(`^\\.TP\\n\\\\fB${c.name}\\\\fR$`, 'm'), c.name);
  for (const o of OPTIONS) {
    for (const flag of o.flags.split(',').map((f) => f.trim().replace(/-/g, '\\-'))) assert.ok(s.get('OPTIONS')!.includes(`\\fB${flag}\\fR`), flag);
  }
  assert.deepEqual(
    [...s.keys()],
    ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'EXAMPLES', 'SEE ALSO'],
  );
  assert.match(s.get('EXIT STATUS')!, /\\fB0\\fR OK[\s\S]*\\fB1\\fR WARNING[\s\S]*\\fB2\\fR CRITICAL[\s\S]*\\fB3\\fR UNKNOWN/);
});

test('autoheal.yaml(5) lists every key of every key table, in its section, with its default', () => {
  const s = sections(page('autoheal.yaml.5'));
  const expect: [string, KeyTable][] = [
    ['SERVICE KEYS', SERVICE_KEYS],
    ['DEPENDENCY KEYS', DEP_KEYS],
    ['DEFAULTS', DEFAULTS_KEYS],
  ];
  for (const [heading, table] of expect) {
    assert.deepEqual(taggedKeys(s.get(heading)!), Object.keys(table), heading);
    for (const [key, spec] of Object.entries(table)) {
      if (spec.default !== undefined)
        assert.match(s.get(heading)!, new RegExp(`^\\\\fB${key}\\\\fR \\(.*default ${String(spec.default)}\\)$`, 'm'), `${heading} ${key}`);
    }
  }
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'autoheal.schema.json'), 'utf8'));
  assert.deepEqual(taggedKeys(s.get('SERVICE KEYS')!).sort(), Object.keys(schema.definitions.service.properties).sort());
  assert.match(s.get('SERVICE KEYS')!, /\\fBscript\\fR \(non\\-empty string; required\)/);
  assert.match(s.get('SERVICE KEYS')!, /At least one of \\fBpname\\fR or \\fBpid_file\\fR is required\./);
});

test("the README's key tables name every key of the parser's tables", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = (heading: string) => readme.slice(readme.indexOf(heading), readme.indexOf('\n### ', readme.indexOf(heading) + 1));
  const expect: [string, KeyTable][] = [
    ['### Service keys', SERVICE_KEYS],
    ['### Dependency keys', DEP_KEYS],
    ['### `defaults`', DEFAULTS_KEYS],
  ];
  for (const [heading, table] of expect) {
    const rows = section(heading)
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    for (const key of Object.keys(table))
      assert.ok(
        rows.some((r) => r.split('|')[1]!.includes(`\`${key}\``)),
        `README ${heading}: a row for \`${key}\``,
      );
  }
});

test('the built pages are what the sources give now (npm run build writes them)', () => {
  for (const p of pages)
    assert.equal(readFileSync(join(repoRoot, 'dist', 'man', p.file), 'utf8'), p.text, `dist/man/${p.file} is stale: run npm run build`);
});

test('the pages carry the version and the date of the newest changelog entry', () => {
  for (const p of pages)
    assert.match(
      p.text.split('\n')[0]!,
      new RegExp(`^\\.TH "[A-Z.-]+" ${p.section} "\\d{4}-\\d\\d-\\d\\d" "autoheal-once ${version.replace(/\./g, '\\.')}"`),
    );
  assert.equal(
    releaseDate(`autoheal-once (${version}) unstable; urgency=medium\n\n  * x\n\n -- A <a@example.org>  Sat, 05 Dec 2026 23:30:00 -0500\n`),
    '2026-12-06',
  );
  assert.throws(() => releaseDate(`autoheal-once (0.0.0-old) unstable; urgency=medium\n`), /newest entry is 0\.0\.0-old, package\.json says/);
});

test('roff escaping: backslashes, a leading dot or quote, non-ASCII, and `code` as bold literals', () => {
  assert.equal(escapeText('a\\b'), 'a\\eb');
  assert.equal(escapeText(".x\n'y"), "\\&.x\n\\&'y");
  assert.equal(escapeText('1–2 → 3'), '1\\[u2013]2 \\[u2192] 3');
  assert.equal(prose('run `a -b` now'), 'run \\fBa \\-b\\fR now');
});

for (const p of pages) {
  for (const device of ['ps', 'utf8']) {
    test(`groff -man -ww -z -T${device} ${p.file}: no warning`, { skip: noGroff }, (t) => {
      const dir = tempDir(t);
      const file = join(dir.dir, p.file);
      writeFileSync(file, p.text);
      const run = spawnSync('groff', ['-man', '-ww', '-z', `-T${device}`, file], { encoding: 'utf8' });
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
    });
  }

  test(`man -l ${p.file} renders it, with every warning on and none given`, { skip: noMan }, (t) => {
    const dir = tempDir(t);
    const file = join(dir.dir, p.file);
    writeFileSync(file, p.text);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat', LANG: 'C.UTF-8' };
    const run = spawnSync('man', ['--warnings=all', '-l', file], { encoding: 'utf8', env });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    const name = p.file.replace(/\.\d$/, '').toUpperCase();
    assert.match(run.stdout, new RegExp(`^${name.replace('.', '\\.')}\\(${p.section}\\)`));
    assert.match(run.stdout, /^NAME\n/m);
    for (const line of run.stdout.split('\n')) assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
  });
}
