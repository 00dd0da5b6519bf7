// State of one walk over the YAML tree: the issues found, located, and bounded alias following (pure).
import { isAlias, isCollection, isNode, isPair, type Alias, type LineCounter, type Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { AccountRef } from './types.js';
import { ticked } from './found.js';
import { MAX_ALIAS_WORK } from './limits.js';

/** Anything with a yaml source range, or an offset. */
export type Where = { range?: readonly [number, number, number] | null } | number | null | undefined;

/** Collects issues and follows aliases for the parse of one config. */
export class WalkContext {
  readonly issues: ConfigIssue[] = [];
  /** Set once the alias budget is spent: the walk stops adding work (and issues). */
  halted = false;
  /** Names of the services of this config: a dependency with one of these names is an edge. */
  serviceNames: ReadonlySet<string> = new Set();
  /** Every `user` and `group` of the config, for the account check that follows the parse (load.ts). */
  readonly accountRefs: AccountRef[] = [];
  /** Did-you-mean lookups over the service names so far (deps.ts bounds them). */
  suggestions = 0;
  private work = 0;
  private readonly targets: Map<Alias, Node | string>;

  constructor(
    private readonly lineCounter: LineCounter,
    root: unknown,
  ) {
    this.targets = indexAliases(root);
  }

  /** Records an issue at the start of `where`. */
  report(where: Where, path: string, message: string): void {
    this.issues.push({ ...this.position(where), path, message });
  }

  /** Notes a `user` or `group` value and where it is written. */
  noteAccount(kind: AccountRef['kind'], name: string, where: Where, path: string): void {
    this.accountRefs.push({ kind, name, ...this.position(where), path });
  }

  /** `line:col` of `where`, for messages that point at a second place. */
  lineCol(where: Where): string {
    const { line, col } = this.position(where);
    return `${line}:${col}`;
  }

  /** `{ line, col }` of the start of `where`, 1-based. */
  position(where: Where): { line: number; col: number } {
    return this.lineCounter.linePos(typeof where === 'number' ? where : (where?.range?.[0] ?? 0));
  }

  /** The node an alias stands for (the node itself otherwise); null when missing, unresolvable or over budget. */
  resolve(node: unknown, path: string): Node | null {
    if (!isAlias(node)) return isNode(node) ? node : null;
    const target = this.targets.get(node);
    if (typeof target === 'string' || target === undefined) {
      this.report(node, path, target ?? `alias ${ticked('*' + node.source)} could not be resolved`);
      return null;
    }
    return this.spend(1 + (isCollection(target) ? target.items.length : 0), node, path) ? target : null;
  }

  /** Counts alias work; false (and one issue, and a halt) once the budget is spent. */
  spend(units: number, where: Where, path: string): boolean {
    if (this.halted) return false;
    this.work += units;
    if (this.work <= MAX_ALIAS_WORK) return true;
    this.halted = true;
    this.report(
      where,
      path,
      `expected aliases and merge keys to expand to at most ${MAX_ALIAS_WORK} entries, found more (an alias bomb?); stopped here`,
    );
    return false;
  }
}

/**
 * What every alias refers to: the closest anchor of that name before it in document order, as YAML says.
 * One iterative pre-order walk, so a deep or huge document costs one pass and no stack.
 */
function indexAliases(root: unknown): Map<Alias, Node | string> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | string>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isPair(n)) {
      stack.push(n.value, n.key);
    } else if (isAlias(n)) {
      const target = anchors.get(n.source);
      const start = n.range?.[0] ?? 0;
      if (target === undefined) targets.set(n, `expected an anchor ${ticked('&' + n.source)} before the alias ${ticked('*' + n.source)}, found none`);
      else if (target.range && target.range[0] <= start && start < target.range[2]) {
        targets.set(n, `expected the alias ${ticked('*' + n.source)} outside the node it refers to, found it inside`);
      } else targets.set(n, target);
    } else if (isNode(n)) {
      if (n.anchor) anchors.set(n.anchor, n);
      if (isCollection(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    }
  }
  return targets;
}
