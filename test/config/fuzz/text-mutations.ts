// Mutations of config text as bytes and lines: what a bad edit, a bad copy or an attacker could leave in a file.
import type { Rng } from '../../helpers/prng.js';

/** YAML syntax, odd scalars and terminal-hostile text, inserted anywhere. */
export const ATOMS: readonly string[] = [
  '&a ',
  '*a',
  '&b ',
  '*b',
  '<<: ',
  '<<: *a',
  '<<: [*a, *b]',
  '!!binary ',
  '!!binary aGVsbG8=',
  '? ',
  '- ',
  ': ',
  ', ',
  '{',
  '}',
  '[',
  ']',
  '{}',
  '[]',
  '"',
  "'",
  '"\\x1b[2J"',
  '"\\u202e"',
  '"\\0"',
  '|',
  '|-\n',
  '>',
  '# ',
  '#',
  '\t',
  '\0',
  '\n',
  '\r',
  '\r\n',
  '~',
  'null',
  '!!null ',
  '!!str ',
  '!!int ',
  '!!float ',
  '!!bool ',
  '!!map ',
  '!!seq ',
  '!!set ',
  '!!omap ',
  '!!pairs ',
  '!!timestamp ',
  '!!merge ',
  '!<tag:yaml.org,2002:str> ',
  '!local ',
  '!!python/object:os.system ',
  '%YAML 1.1\n',
  '%TAG ! !x\n',
  '---\n',
  '...\n',
  '--- ',
  '1e400',
  '-1e400',
  '99999999999999999999999999999',
  '0x7fffffff',
  '0o777',
  '-0',
  '.nan',
  '.inf',
  '-.inf',
  '4294967296',
  '65536',
  '0',
  '-1',
  '1.5',
  '0.0001',
  '596h',
  '597h',
  'yes',
  'on',
  'true',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'defaults',
  'dep',
  'name',
  'port',
  'url',
  'host',
  'pname',
  'pid_file',
  'script',
  'timeout',
  'probe_timeout',
  '\x1b[2J',
  '\x1b]0;title\x07',
  '\x1b[31m',
  '\x9b31m',
  '\x07',
  '\x08',
  '\x7f',
  '\x85',
  '\u00ad',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  '\u0301',
  'é',
  '\x80\xff\xfe',
];

type TextMutation = (rng: Rng, text: string) => string;

const lines = (text: string): string[] => text.split('\n');

function at(rng: Rng, text: string): number {
  return rng.int(text.length + 1);
}

/** Named so that a failing case can say how it was made. */
export const TEXT_MUTATIONS: Readonly<Record<string, TextMutation>> = {
  deleteLine(rng, text) {
    const ls = lines(text);
    ls.splice(rng.int(ls.length), 1);
    return ls.join('\n');
  },
  insertLine(rng, text) {
    const ls = lines(text);
    const line = rng.chance(0.5) ? rng.pick(ls) : ' '.repeat(rng.int(9)) + rng.pick(ATOMS) + rng.pick(ATOMS);
    ls.splice(rng.int(ls.length + 1), 0, line);
    return ls.join('\n');
  },
  duplicateLine(rng, text) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    ls.splice(i, 0, ...Array<string>(rng.chance(0.1) ? rng.between(10, 300) : 1).fill(ls[i]!));
    return ls.join('\n');
  },
  swapLines(rng, text) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    const j = rng.int(ls.length);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return ls.join('\n');
  },
  reindent(rng, text) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    const body = ls[i]!.trimStart();
    const indent = rng.pick([' ', '  ', '\t', ' \t', '\u00a0', '   '.repeat(rng.int(100))]);
    ls[i] = rng.chance(0.3) ? body : indent.repeat(rng.int(5)) + body;
    return ls.join('\n');
  },
  flipChar(rng, text) {
    if (text.length === 0) return text;
    const i = rng.int(text.length);
    const c = rng.chance(0.5) ? String.fromCharCode(rng.int(256)) : String.fromCharCode(text.charCodeAt(i) ^ (1 << rng.int(8)));
    return text.slice(0, i) + c + text.slice(i + 1);
  },
  insertAtom(rng, text) {
    const i = at(rng, text);
    return text.slice(0, i) + rng.pick(ATOMS) + text.slice(i);
  },
  replaceValue(rng, text) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    ls[i] = ls[i]!.replace(/:\s.*$/, `: ${rng.pick(ATOMS)}${rng.chance(0.3) ? rng.pick(ATOMS) : ''}`);
    return ls.join('\n');
  },
  deleteRange(rng, text) {
    const i = at(rng, text);
    return text.slice(0, i) + text.slice(i + rng.int(40));
  },
  duplicateRange(rng, text) {
    const i = at(rng, text);
    const piece = text.slice(i, i + rng.int(200));
    return text.slice(0, i) + piece.repeat(rng.between(1, rng.chance(0.05) ? 500 : 3)) + text.slice(i);
  },
  truncate(rng, text) {
    return text.slice(0, at(rng, text));
  },
  wrapFlow(rng, text) {
    const i = at(rng, text);
    const n = rng.chance(0.1) ? rng.between(60, 70) : rng.between(1, 5);
    const [open, close] = rng.chance(0.5) ? ['[', ']'] : ['{', '}'];
    return text.slice(0, i) + open.repeat(n) + text.slice(i) + (rng.chance(0.5) ? close.repeat(n) : '');
  },
  lineEndings(rng, text) {
    return text.replaceAll('\n', rng.pick(['\r\n', '\r', '\n\n', '\u2028', '\u0085', ' \n']));
  },
};

export const TEXT_MUTATION_NAMES = Object.keys(TEXT_MUTATIONS);
