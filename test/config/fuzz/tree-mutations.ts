// Mutations of a config's YAML tree (keys, values, types, anchors, styles), written back out as text.
import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node,
} from 'yaml';
import type { Rng } from '../../helpers/prng.js';

/** Values of every type a key could be given, plausible and not. */
const VALUES: readonly unknown[] = [
  0,
  -1,
  1.5,
  80,
  65535,
  65536,
  2 ** 31,
  2 ** 53 + 1,
  1e308,
  -1e308,
  5e-324,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  null,
  '',
  ' ',
  '80',
  '5s',
  '500ms',
  '0ms',
  '597h',
  '-5s',
  '1e3s',
  'http://',
  'http://127.0.0.1:1/x',
  'ftp://h/',
  'file:///etc/passwd',
  '/run/x.pid',
  'relative.pid',
  '/dev/zero',
  '127.0.0.1',
  '::1',
  '[::1]',
  '\x1b[2J',
  '\x1b]0;title\x07',
  'a\rb',
  '\u202eevil',
  '\u00ad',
  '\0',
  '\ud800',
  '\x9b',
  'x'.repeat(5000),
  'a: b',
  '- x',
  '*a',
  '&a',
  '"',
  '<<',
  '__proto__',
  [],
  {},
  ['a'],
  [{}],
  [{ name: 'x' }],
  { name: 'x', port: 1 },
  { pname: 'p', script: 's' },
  new Uint8Array([0, 1, 2, 255]),
  new Date(0),
  [[[['deep']]]],
];

/** Keys, known and hostile. */
const KEYS: readonly unknown[] = [
  'pname',
  'pid_file',
  'script',
  'dep',
  'name',
  'host',
  'port',
  'url',
  'timeout',
  'probe_timeout',
  'restart_timeout',
  'log_dir',
  'max_concurrent_probes',
  'defaults',
  '<<',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  ' ',
  '\x1b[2J',
  'a\x00b',
  '\u202e',
  'x'.repeat(3000),
  0,
  80,
  -1,
  1.5,
  true,
  null,
  ['k'],
  { k: 'v' },
];

const STYLES = [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE, Scalar.BLOCK_LITERAL, Scalar.BLOCK_FOLDED] as const;
const TAGS = [
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:int',
  '!x',
  'tag:yaml.org,2002:merge',
  'tag:yaml.org,2002:null',
];

/** A place in the tree that holds a node and can be given another. */
interface Slot {
  get(): unknown;
  set(value: unknown): void;
  /** The mapping or list holding it, when there is one. */
  parent?: YAMLMap | YAMLSeq;
}

function slotsOf(doc: Document): Slot[] {
  const slots: Slot[] = [{ get: () => doc.contents, set: (v) => (doc.contents = v as Node) }];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        slots.push({ get: () => pair.value, set: (v) => (pair.value = v), parent: node });
        slots.push({ get: () => pair.key, set: (v) => (pair.key = v), parent: node });
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        slots.push({ get: () => node.items[i], set: (v) => (node.items[i] = v), parent: node });
        stack.push(item);
      });
    }
  }
  return slots;
}

type TreeMutation = (rng: Rng, doc: Document, slots: Slot[]) => void;

/** Named so that a failing case can say how it was made. */
export const TREE_MUTATIONS: Readonly<Record<string, TreeMutation>> = {
  setValue: (rng, doc, slots) => rng.pick(slots).set(doc.createNode(rng.pick(VALUES))),
  setKey(rng, doc, slots) {
    const maps = slots.map((s) => s.get()).filter(isMap);
    const pair = maps.length > 0 ? rng.pick(rng.pick(maps).items) : undefined;
    if (pair) pair.key = doc.createNode(rng.pick(KEYS));
  },
  removeItem(rng, _doc, slots) {
    const parent = rng.pick(slots).parent;
    if (parent && parent.items.length > 0) parent.items.splice(rng.int(parent.items.length), 1);
  },
  duplicateItem(rng, _doc, slots) {
    const parent = rng.pick(slots).parent;
    if (!parent || parent.items.length === 0) return;
    const item = rng.pick(parent.items as unknown[]);
    const copy = isPair(item) || isNode(item) ? item.clone() : item;
    (parent.items as unknown[]).splice(rng.int(parent.items.length + 1), 0, copy);
  },
  retype(rng, doc, slots) {
    const slot = rng.pick(slots);
    const node = slot.get();
    if (isMap(node)) slot.set(rng.chance(0.5) ? doc.createNode(node.items.map((p) => p.value)) : wrap(doc, node, rng));
    else if (isSeq(node)) slot.set(doc.createNode(Object.fromEntries(node.items.map((v, i) => [`k${i}`, v]))));
    else slot.set(wrap(doc, node, rng));
  },
  alias(rng, doc, slots) {
    const target = rng.pick(slots).get();
    if (!isScalar(target) && !isCollection(target)) return;
    const alias = doc.createAlias(target, rng.chance(0.5) ? 'a' : undefined);
    rng.pick(slots).set(alias);
  },
  mergeKey(rng, doc, slots) {
    const maps = slots.map((s) => s.get()).filter(isMap);
    const target = maps.length > 0 ? rng.pick(maps) : undefined;
    const into = maps.length > 0 ? rng.pick(maps) : undefined;
    if (!target || !into) return;
    const alias = doc.createAlias(target);
    into.items.splice(rng.int(into.items.length + 1), 0, doc.createPair('<<', rng.chance(0.3) ? doc.createNode([alias, alias]) : alias));
  },
  style(rng, _doc, slots) {
    const node = rng.pick(slots).get();
    if (isScalar(node)) node.type = rng.pick(STYLES);
    else if (isCollection(node)) node.flow = !node.flow;
  },
  tag(rng, _doc, slots) {
    const node = rng.pick(slots).get();
    if (isNode(node) && !isAlias(node)) node.tag = rng.pick(TAGS);
  },
  comment(rng, _doc, slots) {
    const node = rng.pick(slots).get();
    if (isNode(node)) node.commentBefore = rng.pick(['x', '\x1b[2J', 'a\nb', '\u202e', '- not a list']);
  },
  multiplyServices(rng, doc) {
    if (!isMap(doc.contents) || doc.contents.items.length === 0) return;
    const top = doc.contents;
    const source = rng.pick(top.items);
    const copies = rng.chance(0.05) ? rng.between(100, 300) : rng.between(1, 20);
    for (let i = 0; i < copies; i++) top.items.push(doc.createPair(`svc${i}`, isNode(source.value) ? source.value.clone() : source.value));
  },
  dependOn(rng, doc) {
    if (!isMap(doc.contents) || doc.contents.items.length === 0) return;
    const top = doc.contents;
    const from = rng.pick(top.items).value;
    const to = rng.pick(top.items).key;
    if (!isMap(from)) return;
    const name = isScalar(to) ? to.value : 'x';
    from.set('dep', doc.createNode([{ name }, ...(rng.chance(0.5) ? [{ name, port: 80 }] : [])]));
  },
};

/** The node as the only item of a new list, or the value of a new mapping. */
function wrap(doc: Document, node: unknown, rng: Rng): Node {
  if (rng.chance(0.5)) {
    const seq = new YAMLSeq();
    seq.items.push(node);
    return seq;
  }
  const map = new YAMLMap();
  map.items.push(doc.createPair('k', node));
  return map;
}

export const TREE_MUTATION_NAMES = Object.keys(TREE_MUTATIONS);

/**
 * Parses `text`, applies the named mutations and writes it back; undefined when the text does not parse cleanly
 * or yaml cannot write the mutated tree (then the case goes on from the text alone).
 */
export function mutateTree(rng: Rng, text: string, names: readonly string[]): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false, merge: false });
  if (doc.errors.length > 0) return undefined;
  for (const name of names) TREE_MUTATIONS[name]!(rng, doc, slotsOf(doc));
  try {
    return doc.toString({ lineWidth: rng.pick([0, 20, 80]), flowCollectionPadding: rng.chance(0.5) });
  } catch {
    return undefined;
  }
}
