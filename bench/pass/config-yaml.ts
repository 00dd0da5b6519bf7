// Writes a workload as autoheal-once's YAML config: the seed's format (services keyed by name) plus `timeout`.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { BenchDep, Workload } from './workload.js';

/** One service as the seed's format writes it. */
export interface ConfigEntry {
  pname?: string;
  pid_file?: string;
  dep?: BenchDep[];
  script: string;
}

export type ConfigDoc = Record<string, ConfigEntry>;

/** The config object: exactly the keys the seed document uses, plus a per-dependency timeout. */
export function toConfig(w: Workload): ConfigDoc {
  const doc: ConfigDoc = {};
  for (const s of w.services) {
    const entry: Omit<ConfigEntry, 'script'> = {};
    if (s.pname) entry.pname = s.pname;
    if (s.pidFile) entry.pid_file = s.pidFile;
    if (s.deps.length) entry.dep = s.deps.map((d) => ({ ...d }));
    doc[s.name] = { ...entry, script: s.script };
  }
  return doc;
}

export function writeConfig(w: Workload, file: string): void {
  writeFileSync(file, stringify(toConfig(w), { lineWidth: 0 }));
}
