// The man pages as files: reads their inputs (the schema, the release date) and renders both pages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../version.js';
import { renderCommandManPage, type PageMeta } from './man-cli.js';
import { renderConfigManPage, type SchemaDoc } from './man-config.js';

/** A page's file name (as installed under /usr/share/man/manN/) and its roff text. */
export interface ManPage {
  file: string;
  section: string;
  text: string;
}

/** Both pages, from the sources in the repository at `root`. */
export function renderManPages(root: string): ManPage[] {
  const meta: PageMeta = { version, date: releaseDate(readFileSync(join(root, 'packaging', 'debian', 'changelog'), 'utf8')) };
  const schema = JSON.parse(readFileSync(join(root, 'schema', 'autoheal.schema.json'), 'utf8')) as SchemaDoc;
  return [
    { file: 'autoheal-once.1', section: '1', text: renderCommandManPage(meta) },
    { file: 'autoheal.yaml.5', section: '5', text: renderConfigManPage(meta, schema) },
  ];
}

/** YYYY-MM-DD of the changelog's newest entry, which must be this version's: a rebuild gives the same pages. */
export function releaseDate(changelog: string): string {
  const head = /^autoheal-once \(([^)]+)\)/.exec(changelog);
  if (head?.[1] !== version)
    throw new Error(`packaging/debian/changelog: the newest entry is ${head?.[1] ?? 'missing'}, package.json says ${version}: add an entry`);
  const trailer = /^ -- .+ <.+> {2}(.+)$/m.exec(changelog);
  const date = trailer ? new Date(trailer[1]!) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error('packaging/debian/changelog: no date on the newest entry\'s " -- " line');
  return date.toISOString().slice(0, 10);
}
