// A cheap look at the token stream that refuses absurd nesting before the YAML parser builds it (pure).
import { Lexer } from 'yaml';
import { MAX_FLOW_DEPTH, MAX_INDENT } from './limits.js';

/** Lexer markers that carry no source text (yaml's cst: DOCUMENT, FLOW_END, SCALAR). */
const DOCUMENT = '\x02';
const FLOW_END = '\x18';
const SCALAR = '\x1f';

/**
 * The offset and message of the first place nested too deeply, or undefined. Why: the parser and composer are
 * recursive and slow per level; a megabyte of `[` costs seconds and `[[..]]` can exhaust memory. Flow depth is
 * counted from `[`/`{`; block depth cannot exceed the indentation column, so that is what is bounded.
 * Stops at the first excess, so deep input costs almost nothing.
 */
export function findDeepNesting(text: string): { offset: number; message: string } | undefined {
  if (!mayNestDeeply(text)) return undefined;
  let offset = 0;
  let flow = 0;
  let atLineStart = true;
  let indent = 0;
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    if (token === DOCUMENT || token === FLOW_END) {
      flow = 0;
      continue;
    }
    if (token === SCALAR) {
      scalarNext = true;
      continue;
    }
    const start = offset;
    offset += token.length;
    if (scalarNext) {
      scalarNext = false;
      if (atLineStart && indent > MAX_INDENT && flow === 0) return tooDeep(start);
      atLineStart = false;
      continue;
    }
    if (token === '\n' || token === '\r\n' || token === '') {
      atLineStart = true;
      indent = 0;
      continue;
    }
    if (token === '[' || token === '{') {
      if (++flow > MAX_FLOW_DEPTH) {
        return { offset: start, message: `expected at most ${MAX_FLOW_DEPTH} nested [ ] or { } collections, found more` };
      }
    } else if (token === ']' || token === '}') {
      flow = Math.max(0, flow - 1);
    }
    if (!atLineStart) continue;
    const first = token[0];
    if (first === ' ' || first === '\t' || token === '-' || token === '?' || token === ':') {
      indent += token.length;
      if (token.length === 1 && first !== ' ' && first !== '\t' && indent > MAX_INDENT && flow === 0) return tooDeep(start);
      continue;
    }
    if (first !== '#' && indent > MAX_INDENT && flow === 0) return tooDeep(start);
    atLineStart = false;
  }
  return undefined;
}

function tooDeep(offset: number): { offset: number; message: string } {
  return { offset, message: `expected block structure indented at most ${MAX_INDENT} columns, found more` };
}

/** A cheap upper bound first: depth cannot pass the limits without that many `[`/`{` or that deep a line start. */
function mayNestDeeply(text: string): boolean {
  let openers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x5b || c === 0x7b) && ++openers > MAX_FLOW_DEPTH) return true;
  }
  return new RegExp(`^[ \\t?:-]{${MAX_INDENT + 1}}`, 'm').test(text);
}
