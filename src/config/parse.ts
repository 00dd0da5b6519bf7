// Config text -> validated Config, or every problem found, each located at file:line:col (pure: no I/O).
import { isMap, isScalar, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { printable } from '../text/printable.js';
import type { AccountRef, Config, Service } from './types.js';
import { WalkContext } from './context.js';
import { reportCycles } from './cycles.js';
import { readDefaults } from './defaults.js';
import { describeFound } from './found.js';
import { DEFAULTS_SECTION } from './keys.js';
import { MAX_CONFIG_BYTES, MAX_ISSUES } from './limits.js';
import { readEntries } from './mapping.js';
import { findDeepNesting } from './nesting.js';
import { readService, type Edge } from './services.js';

/** yaml's messages can quote a whole line of garbage; this much is enough to recognise it. */
const MAX_YAML_MESSAGE = 160;

/**
 * Parses and validates a config. `config` is set only when `issues` is empty; issues are sorted by position
 * and never more than MAX_ISSUES (+1 saying how many more). Never throws, whatever `text` holds.
 */
export function parseConfig(text: string): ParseResult {
  let result: ParseResult;
  try {
    result = parseChecked(text);
  } catch (error) {
    // Why: a bug or an exhausted parser must read as a config problem (exit 3), not crash the pass.
    const message = error instanceof Error ? error.message : String(error);
    result = { issues: [{ line: 1, col: 1, path: '', message: `could not parse the config: ${printable(message.slice(0, MAX_YAML_MESSAGE))}` }] };
  }
  return { ...result, issues: sortAndCap(result.issues) };
}

/** The config when valid, every issue otherwise, and every `user`/`group` it names (for the account check). */
export interface ParseResult {
  config?: Config;
  issues: ConfigIssue[];
  accounts?: AccountRef[];
}

function parseChecked(text: string): ParseResult {
  if (text.length > MAX_CONFIG_BYTES) {
    return issue(1, 1, `expected a config of at most ${MAX_CONFIG_BYTES / 1024} KiB, found ${Math.ceil(text.length / 1024)} KiB`);
  }
  const deep = findDeepNesting(text);
  if (deep) {
    const { line, col } = countLines(text).linePos(deep.offset);
    return issue(line, col, deep.message);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: false });
  const syntax = [...doc.errors, ...doc.warnings].map((e) => yamlIssue(e, lineCounter));
  // Past a syntax error the tree is a guess; walking it would add noise. A second document is the exception.
  if (doc.errors.some((e) => e.code !== 'MULTIPLE_DOCS')) return { issues: syntax };
  const top = doc.contents;
  const ctx = new WalkContext(lineCounter, top);
  ctx.issues.push(...syntax);
  if (top === null || (isScalar(top) && top.value === null && !top.source)) {
    ctx.report(0, '', 'expected a mapping of services, found an empty document');
    return { issues: ctx.issues };
  }
  if (!isMap(top)) {
    ctx.report(top, '', `expected a mapping of services at the top level, found ${describeFound(top)}`);
    return { issues: ctx.issues };
  }
  const entries = readEntries(top, '', ctx);
  const serviceEntries = entries.filter((e) => e.key !== DEFAULTS_SECTION);
  ctx.serviceNames = new Set(serviceEntries.map((e) => e.key));
  const defaults = readDefaults(
    entries.find((e) => e.key === DEFAULTS_SECTION),
    ctx,
  );
  const services: Service[] = [];
  const edges: Edge[] = [];
  for (const entry of serviceEntries) {
    if (ctx.halted) break;
    const read = readService(entry, defaults, ctx);
    if (read.service) services.push(read.service);
    edges.push(...read.edges);
  }
  if (!ctx.halted) reportCycles([...ctx.serviceNames], edges, ctx);
  return ctx.issues.length > 0
    ? { issues: ctx.issues }
    : { config: { services, defaults }, issues: [], ...(ctx.accountRefs.length > 0 ? { accounts: ctx.accountRefs } : {}) };
}

function yamlIssue(e: YAMLError, lineCounter: LineCounter): ConfigIssue {
  const { line, col } = lineCounter.linePos(e.pos[0]);
  if (e.code === 'MULTIPLE_DOCS') return { line, col, path: '', message: 'expected one YAML document, found another one starting here' };
  const cut = e.message.length > MAX_YAML_MESSAGE ? `${e.message.slice(0, MAX_YAML_MESSAGE)}...` : e.message;
  return { line, col, path: '', message: `invalid YAML: ${printable(cut)}` };
}

function issue(line: number, col: number, message: string): { issues: ConfigIssue[] } {
  return { issues: [{ line, col, path: '', message }] };
}

/** Sorted by line then column (stable, so issues at one place keep their order), cut at MAX_ISSUES. */
function sortAndCap(issues: ConfigIssue[]): ConfigIssue[] {
  const sorted = [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
  if (sorted.length <= MAX_ISSUES) return sorted;
  const next = sorted[MAX_ISSUES]!;
  const more = sorted.length - MAX_ISSUES;
  return [
    ...sorted.slice(0, MAX_ISSUES),
    { line: next.line, col: next.col, path: '', message: `${more} more problem${more === 1 ? '' : 's'} not listed` },
  ];
}

// yaml's own LineCounter, filled without parsing: the nesting check runs before yaml may see the text.
function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) counter.addNewLine(nl + 1);
  return counter;
}
