// Hand-made hostile configs: what a broken disk, a bad copy or an attacker with write access to a file could give us.
// Every script that could run touches `marker`, so a test can tell that nothing ran.
import { Rng } from '../helpers/prng.js';

export interface Nasty {
  name: string;
  content: Buffer | string;
  /** What stderr must say when the config is refused. */
  refused: RegExp;
}

const EMPTY = /found an empty document/;
const NOT_UTF8 = /expected UTF-8 text, found an invalid byte sequence|expected text, found a NUL byte/;
const TOO_BIG = /expected a config of at most 1024 KiB, found \d+ KiB/;
const TOO_DEEP = /expected (at most 64 nested \[ \] or \{ \} collections|block structure indented at most 256 columns), found more/;
const BOMB = /expected aliases and merge keys to expand to at most 100000 entries, found more \(an alias bomb\?\)/;
const BAD_NAME = /expected a non-empty service name without control characters, found `[^`]*\\u001b/;

function service(name: string, marker: string): string {
  return `${name}:\n  pname: ${name}\n  script: touch ${marker}\n`;
}

/** `size` seeded random bytes with NULs and high bytes in them. */
function garbage(size: number, seed: number): Buffer {
  const rng = new Rng(seed);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = rng.int(256);
  bytes[rng.int(size)] = 0;
  return bytes;
}

/** The billion laughs: nine levels of nine aliases each, used by a service. */
function billionLaughs(marker: string): string {
  let text = `a: &a [${Array(9).fill('lol').join(', ')}]\n`;
  for (let k = 1; k < 9; k++)
    text += `${'abcdefghi'[k]}: &${'abcdefghi'[k]} [${Array(9)
      .fill(`*${'abcdefghi'[k - 1]}`)
      .join(', ')}]\n`;
  return `${text}svc:\n  pname: svc\n  script: touch ${marker}\n  dep: *i\n`;
}

/** Twenty levels of mappings each merging the one before ten times. */
function mergeBomb(marker: string): string {
  let text = `m0: &m0 {pname: p, script: touch ${marker}}\n`;
  for (let k = 1; k < 20; k++)
    text += `m${k}: &m${k} {<<: [${Array(10)
      .fill(`*m${k - 1}`)
      .join(', ')}]}\n`;
  return text;
}

/** Mappings nested by indentation, one column per level. */
function blockNest(levels: number, marker: string): string {
  const lines = [`svc:\n  pname: svc\n  script: touch ${marker}\n  dep:`];
  for (let i = 0; i < levels; i++) lines.push(`${' '.repeat(i + 4)}k${i}:`);
  return `${lines.join('\n')} x\n`;
}

/** 199 services with 4,000-character names (under the did-you-mean limit of 200) and 16,000 dependencies on none of them. */
function longNamesManyDeps(marker: string): string {
  let text = '';
  for (let i = 0; i < 199; i++) text += `? ${'a'.repeat(4000)}${i}\n: {pname: p, script: touch ${marker}}\n`;
  return `${text}x: {pname: p, script: touch ${marker}, dep: [${Array.from({ length: 16_000 }, (_, i) => `{name: b${i % 10}}`).join(', ')}]}\n`;
}

/** One service with a 500,000-character name and 40,000 unknown keys: each problem's path starts with the name. */
function longNameManyIssues(marker: string): string {
  const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1\n`).join('');
  return `? ${'n'.repeat(500_000)}\n:\n  pname: p\n  script: touch ${marker}\n${keys}`;
}

/** Two services depending on each other, with 200,000-character names. */
function longNamesInACycle(marker: string): string {
  const [a, b] = ['a'.repeat(200_000), 'b'.repeat(200_000)];
  return `? ${a}\n: {pname: p, script: touch ${marker}, dep: [{name: ${b}}]}\n? ${b}\n: {pname: p, script: touch ${marker}, dep: [{name: ${a}}]}\n`;
}

export function nasties(marker: string): Nasty[] {
  const ok = service('ok', marker);
  return [
    { name: 'an empty file', content: '', refused: EMPTY },
    { name: 'only blank lines and comments', content: '\n\n# nothing here\n   \n', refused: EMPTY },
    { name: '64 KiB of binary garbage with NULs', content: garbage(64 * 1024, 1), refused: NOT_UTF8 },
    { name: 'a valid config followed by NUL bytes', content: Buffer.concat([Buffer.from(ok), Buffer.from([0, 0, 0])]), refused: /NUL byte/ },
    { name: 'a lone 0xff byte in a value', content: Buffer.from(`${ok}x:\n  pname: \xff\n`, 'latin1'), refused: NOT_UTF8 },
    { name: 'an overlong encoding of /', content: Buffer.concat([Buffer.from(`${ok}x: `), Buffer.from([0xc0, 0xaf])]), refused: NOT_UTF8 },
    { name: 'an encoded UTF-16 surrogate', content: Buffer.concat([Buffer.from(`${ok}x: `), Buffer.from([0xed, 0xa0, 0x80])]), refused: NOT_UTF8 },
    { name: 'a sequence cut at the end of the file', content: Buffer.concat([Buffer.from(ok), Buffer.from([0xe2, 0x82])]), refused: NOT_UTF8 },
    { name: 'a UTF-16LE file with its BOM', content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ok, 'utf16le')]), refused: NOT_UTF8 },
    { name: '10 MB of valid YAML', content: Array.from({ length: 200_000 }, (_, i) => service(`s${i}`, marker)).join(''), refused: TOO_BIG },
    {
      name: '100,000 services written out',
      content: Array.from({ length: 100_000 }, (_, i) => `s${i}: {pname: p, script: touch ${marker}}\n`).join(''),
      refused: TOO_BIG,
    },
    {
      name: '100,000 services as aliases of one, under 1 MiB',
      content: `a: &a {pname: p, script: touch ${marker}}\n${Array.from({ length: 100_000 }, (_, i) => `s${i.toString(36)}: *a\n`).join('')}`,
      refused: BOMB,
    },
    { name: '10,000 nested [', content: `${ok}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, refused: TOO_DEEP },
    { name: '10,000 nested { without their ends', content: `${ok}x: ${'{a: '.repeat(10_000)}\n`, refused: TOO_DEEP },
    { name: '10,000 nested block lists on one line', content: `${ok}x:\n  ${'- '.repeat(10_000)}x\n`, refused: TOO_DEEP },
    { name: '10,000 nested complex keys', content: `${ok}${'? '.repeat(10_000)}x\n`, refused: TOO_DEEP },
    { name: '1,400 levels of indentation, under 1 MiB', content: blockNest(1_400, marker), refused: TOO_DEEP },
    { name: '10,000 levels of indentation, 50 MB', content: blockNest(10_000, marker), refused: TOO_BIG },
    { name: 'the billion laughs', content: billionLaughs(marker), refused: /expected a mapping of service settings/ },
    { name: 'a merge-key bomb', content: mergeBomb(marker), refused: BOMB },
    { name: 'a raw ESC [2J as a service name', content: `${ok}\x1b[2J:\n  pname: x\n  script: touch ${marker}\n`, refused: /\\u001b\[2J/ },
    { name: 'an escaped ESC [2J as a service name', content: `${ok}"\\e[2J":\n  pname: x\n  script: touch ${marker}\n`, refused: BAD_NAME },
    {
      name: 'an OSC title sequence as a service name',
      content: `${ok}"\\e]0;title\\a":\n  pname: x\n  script: touch ${marker}\n`,
      refused: BAD_NAME,
    },
    { name: 'a carriage return in a service name', content: `${ok}"a\\rb":\n  pname: x\n  script: touch ${marker}\n`, refused: /found `a\\rb`/ },
    { name: 'a raw carriage return in a service name', content: `${ok}ab\rcd:\n  pname: x\n  script: touch ${marker}\n`, refused: /./ },
    { name: 'a C1 CSI as a service name', content: `${ok}"\\x9b2J":\n  pname: x\n  script: touch ${marker}\n`, refused: /found `\\u009b2J`/ },
    {
      name: 'an escape sequence in a dependency name',
      content: `${ok}dep:\n  pname: x\n  script: touch ${marker}\n  dep: [{name: "\\e[2J", port: 1}]\n`,
      refused: /dependency name without control characters, found `\\u001b\[2J`/,
    },
    {
      name: 'an escape sequence in a key',
      content: `${ok}k:\n  "pname\\e[2J": x\n  script: touch ${marker}\n`,
      refused: /unknown key `pname\\u001b\[2J`/,
    },
    {
      name: 'an escape sequence in a port',
      content: `${ok}p:\n  pname: x\n  script: touch ${marker}\n  dep: [{name: a, port: "\\e]0;t\\a\\r"}]\n`,
      refused: /found "\\u001b\]0;t\\u0007\\r" \(string\)/,
    },
    { name: 'raw escapes in a syntax error', content: `${ok}x: ]\x1b[2J\x1b]0;t\x07\r\u009b\n`, refused: /invalid YAML/ },
    { name: 'a tab for indentation', content: `svc:\n\tpname: svc\n\tscript: touch ${marker}\n`, refused: /invalid YAML/ },
    { name: 'a second document', content: `${ok}---\n${service('two', marker)}`, refused: /expected one YAML document/ },
    {
      name: 'huge numbers',
      content: `${ok}n:\n  pname: n\n  script: touch ${marker}\n  restart_timeout: 1e400\n  dep: [{name: a, port: 99999999999999999999999}]\n`,
      refused: /expected a duration/,
    },
    { name: 'a script given as !!binary', content: `b:\n  pname: b\n  script: !!binary dG91Y2ggL3RtcC94\n`, refused: /found binary data/ },
    {
      name: '199 long service names and 16,000 dependencies on none of them',
      content: longNamesManyDeps(marker),
      refused: /is not a service of this config/,
    },
    { name: 'a 500,000-character service name with 40,000 problems', content: longNameManyIssues(marker), refused: /unknown key `k0`/ },
    { name: 'a cycle of two 200,000-character names', content: longNamesInACycle(marker), refused: /expected no dependency cycle/ },
    { name: 'a 1 MB key', content: `${'k'.repeat(1_000_000)}:\n  pname: k\n  script: touch ${marker}\n`, refused: /./ },
  ];
}
