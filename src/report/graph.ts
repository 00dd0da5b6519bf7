// The dependency graph as a picture (pure): Graphviz DOT or Mermaid, each service coloured by its state,
// external dependencies as their own nodes, and each edge that blocks a service marked.
import type { Service } from '../config/types.js';
import { describeTarget, type ServiceReport, type ServiceState } from './model.js';
import { labels } from './text.js';

/** Fill colour of each state; a graph drawn without probing leaves services white. */
export const STATE_COLOURS: Record<ServiceState, string> = {
  healthy: '#b7e1a1',
  restarted: '#a6cee3',
  starting: '#a6cee3',
  would_restart: '#fff3a3',
  blocked: '#fdbf6f',
  restart_failed: '#fb8072',
  gave_up: '#fb8072',
  unknown: '#d9d9d9',
  paused: '#cab2d6',
  booting: '#e0e0e0',
  checking: '#ffffb3',
  unhealthy: '#fb8072',
};
const NO_STATE = '#ffffff';
const EXTERNAL = '#f0f0f0';

interface Node {
  id: string;
  label: string;
  fill: string;
  external: boolean;
}

interface Edge {
  from: string;
  to: string;
  blocks: boolean;
}

/** Nodes and edges: services, then external dependencies (one node per distinct name and target). */
function buildModel(services: readonly Service[], states: ReadonlyMap<string, ServiceReport> | undefined): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const ids = new Map<string, string>();
  for (const s of services) {
    const report = states?.get(s.name);
    const id = `s${ids.size}`;
    ids.set(`service ${s.name}`, id);
    nodes.push({
      id,
      label: report ? `${s.name}\n${labels[report.state]}` : s.name,
      fill: report ? STATE_COLOURS[report.state] : NO_STATE,
      external: false,
    });
  }
  const edges: Edge[] = [];
  for (const s of services) {
    const blockedBy = states?.get(s.name)?.blockedBy?.name;
    let marked = false;
    for (const dep of s.deps) {
      const target = describeTarget(dep);
      const key = dep.internal ? `service ${dep.name}` : `external ${dep.name}\n${target}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = `e${ids.size}`;
        ids.set(key, id);
        nodes.push({ id, label: `${dep.name}\n${target}`, fill: EXTERNAL, external: true });
      }
      const blocks: boolean = !marked && blockedBy === dep.name;
      marked ||= blocks;
      edges.push({ from: ids.get(`service ${s.name}`)!, to: id, blocks });
    }
  }
  return { nodes, edges };
}

/** Graphviz DOT: `dot -Tsvg` draws it. Arrows point from a service to what it needs. */
export function renderDot(services: readonly Service[], states?: ReadonlyMap<string, ServiceReport>): string {
  const { nodes, edges } = buildModel(services, states);
  const lines = [
    'digraph autoheal {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    '  edge [fontname="Helvetica"];',
  ];
  for (const n of nodes) {
    const shape = n.external ? ', shape=ellipse, style="filled,dashed"' : '';
    lines.push(`  ${n.id} [label=${dotString(n.label)}, fillcolor="${n.fill}"${shape}];`);
  }
  for (const e of edges)
    lines.push(`  ${e.from} -> ${e.to}${e.blocks ? ' [color="#e31a1c", penwidth=2.5, label="blocks", fontcolor="#e31a1c"]' : ''};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT string: quotes and backslashes escaped, line breaks as `\n`. */
function dotString(text: string): string {
  return `"${text
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}

/** Mermaid flowchart text: GitHub renders it in a ```mermaid block. */
export function renderMermaid(services: readonly Service[], states?: ReadonlyMap<string, ServiceReport>): string {
  const { nodes, edges } = buildModel(services, states);
  const lines = ['flowchart LR'];
  for (const n of nodes) {
    const [open, close] = n.external ? ['([', '])'] : ['[', ']'];
    lines.push(`  ${n.id}${open}"${mermaidText(n.label)}"${close}`);
  }
  const blocking: number[] = [];
  edges.forEach((e, i) => {
    lines.push(e.blocks ? `  ${e.from} ==>|blocks| ${e.to}` : `  ${e.from} --> ${e.to}`);
    if (e.blocks) blocking.push(i);
  });
  for (const n of nodes) lines.push(`  style ${n.id} fill:${n.fill},stroke:#555${n.external ? ',stroke-dasharray:4 3' : ''}`);
  if (blocking.length) lines.push(`  linkStyle ${blocking.join(',')} stroke:#e31a1c,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

/** Text inside a quoted Mermaid label: entity codes for what would end or break it, `<br>` for line breaks. */
function mermaidText(text: string): string {
  const codes: Record<string, string> = { '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;', '&': '#amp;' };
  return text
    .replace(/["<>#&]/g, (c) => codes[c]!)
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
    .replace(/\n/g, '<br>');
}
