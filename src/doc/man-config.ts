// autoheal.yaml(5), rendered from the parser's key tables and the JSON Schema (pure).
import { DEFAULT_CONFIG_PATH } from '../config/load.js';
import { DEFAULTS_KEYS, DEFAULTS_SECTION, DEP_KEYS, SERVICE_KEYS } from '../config/keys.js';
import type { KeySpec, KeyTable } from '../config/table.js';
import type { PageMeta } from './man-cli.js';
import { example, page, prose, tagged, titleLine, escapeLiteral } from './roff.js';

/** The parts of schema/autoheal.schema.json the page reads; the schema test keeps its keys equal to the tables. */
export interface SchemaDoc {
  description: string;
  properties: { defaults: { description: string } };
  definitions: Record<'duration' | 'umask' | 'defaults' | 'service' | 'dependency', SchemaSection>;
}

interface SchemaSection {
  description?: string;
  required?: string[];
  anyOf?: { required: string[] }[];
  not?: { anyOf: { required: string[] }[] };
  dependencies?: Record<string, string[]>;
}

const SEED_EXAMPLE = `nginx:
    pname: nginx
    script: sudo -u admin /home/admin/bin/nginx-proxy -s restart
web_service:
    pid_file: /home/admin/web_server/conf/.web_server.pid
    dep:
        - name: nginx          # a service of this config
          host: 127.0.0.1
          port: 80
        - name: middleware     # external: only probed
          url: http://middleware.example.com/check.htm
    script: sudo -u admin /home/admin/web_server/bin/startup.sh`;

const DEFAULTS_EXAMPLE = `defaults:
    probe_timeout: 2s
    max_restarts: 5
    restart_window: 10m
    user: app
    umask: 027`;

/** The whole page, in man(7) macros. */
export function renderConfigManPage(meta: PageMeta, schema: SchemaDoc): string {
  const defs = schema.definitions;
  return page([
    titleLine('AUTOHEAL.YAML', '5', meta.date, `autoheal-once ${meta.version}`, 'File Formats'),
    '.SH NAME',
    'autoheal.yaml \\- services that autoheal\\-once probes and restarts',
    '.SH SYNOPSIS',
    `\\fI${escapeLiteral(DEFAULT_CONFIG_PATH)}\\fR`,
    '.SH DESCRIPTION',
    prose(
      `One YAML file, read by autoheal-once(1) from \`--config\`, else \`$AUTOHEAL_CONFIG\`, else \`${DEFAULT_CONFIG_PATH}\`. ${schema.description}`,
    ),
    '.PP',
    prose(
      'A service is dead when its process is not found (by `pname`, by `pid_file`, or both); it is restarted with `script` only once every dependency in `dep` is ready. A dependency named after a service of the same file is also an edge of the dependency graph: that service is healed first, and a cycle is an error.',
    ),
    '.PP',
    prose(
      '`autoheal-once validate` checks the file and lists every problem with its file:line:col, the key, what was expected and what was found; an unknown key comes with the closest known one. A pass with a bad config restarts nothing and exits 3.',
    ),
    '.SH SERVICE KEYS',
    ...keyEntries(SERVICE_KEYS, defs.service),
    ...rules(defs.service),
    '.SH DEPENDENCY KEYS',
    prose("Each item of a service's `dep` list."),
    ...keyEntries(DEP_KEYS, defs.dependency),
    ...rules(defs.dependency),
    `.SH ${DEFAULTS_SECTION.toUpperCase()}`,
    prose(`The reserved top-level key \`${DEFAULTS_SECTION}\`: ${lowerFirst(schema.properties.defaults.description)}`),
    ...keyEntries(DEFAULTS_KEYS, defs.defaults),
    example(DEFAULTS_EXAMPLE),
    '.SH VALUES',
    tagged('\\fBduration\\fR', prose(`${defs.duration.description ?? ''} At least 1 ms and at most 596 hours.`)),
    tagged('\\fBoctal umask\\fR', prose(defs.umask.description ?? '')),
    tagged('\\fBpaths\\fR', prose('Absolute: cron runs with an arbitrary working directory.')),
    tagged('\\fBstrings\\fR', prose('Must be strings: `port: "80"` and `script: 5` are errors.')),
    tagged('\\fBempty\\fR', prose('`dep:` or `defaults:` left empty mean none and all built-in defaults.')),
    '.PP',
    prose('Anchors, aliases and merge keys (`<<: *name`) work in any mapping; keys written in the mapping win over merged ones.'),
    '.SH EXAMPLE',
    prose('The format of the original autoheal script generator, which works unchanged:'),
    example(SEED_EXAMPLE),
    '.SH FILES',
    tagged(
      `\\fI${escapeLiteral(DEFAULT_CONFIG_PATH)}\\fR`,
      prose('The default location; mode 0600 and owned by root, since restart scripts run as root.'),
    ),
    '.SH SEE ALSO',
    '\\fBautoheal\\-once\\fR(1)',
  ]);
}

/** One tagged paragraph per key of a table: name, type, default or "required", and its documentation. */
function keyEntries(table: KeyTable, section: SchemaSection): string[] {
  return Object.entries(table).map(([key, spec]) => {
    const facts = [typeOf(spec)];
    if (section.required?.includes(key)) facts.push('required');
    else if (spec.default !== undefined) facts.push(`default ${String(spec.default)}`);
    return tagged(`\\fB${escapeLiteral(key)}\\fR (${facts.map(escapeLiteral).join('; ')})`, prose(spec.doc));
  });
}

function typeOf(spec: KeySpec<unknown>): string {
  if (spec.items) return 'list of dependencies';
  if (spec.mapping) return 'mapping of NAME: value';
  if (spec.check?.type === 'duration') return 'duration';
  if (spec.check?.type === 'umask') return 'octal umask';
  return spec.check?.expected.replace(/^an? /, '').replace(/ \(.*$/, '') ?? 'any';
}

/** The schema's rules between keys, in words. */
function rules(section: SchemaSection): string[] {
  const out: string[] = [];
  const keys = (names: string[]) => names.map((n) => `\`${n}\``).join(' and ');
  if (section.anyOf)
    out.push(
      `At least one of ${section.anyOf
        .map((a) => keys(a.required))
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')} is required.`,
    );
  for (const [key, needs] of Object.entries(section.dependencies ?? {})) out.push(`\`${key}\` needs ${keys(needs)}.`);
  for (const pair of section.not?.anyOf ?? []) out.push(`${keys(pair.required)} cannot be used together.`);
  return out.length ? ['.PP', prose(out.join(' '))] : [];
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
