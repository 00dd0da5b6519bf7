// Writes a workload as autoheal-once's YAML config: the seed's format (services keyed by name) plus `timeout`.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** The config object: exactly the keys the seed document uses, plus a per-dependency timeout. */
export function toConfig(w) {
  const doc = {};
  for (const s of w.services) {
    const entry = {};
    if (s.pname) entry.pname = s.pname;
    if (s.pidFile) entry.pid_file = s.pidFile;
    if (s.deps.length) entry.dep = s.deps.map((d) => ({ ...d }));
    entry.script = s.script;
    doc[s.name] = entry;
  }
  return doc;
}

export function writeConfig(w, file) {
  writeFileSync(file, stringify(toConfig(w), { lineWidth: 0 }));
}
