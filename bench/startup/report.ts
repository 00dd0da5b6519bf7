// Medians, ratios to the baseline and the Markdown table of the start-up bench (pure).
import { median, quantile } from '../shared/stats.js';

/** What one variant measured over the rounds: wall and CPU ms, peak RSS KiB. */
export interface Samples {
  wall: number[];
  cpu: number[];
  rss: number[];
}

/** One line of the table: medians (RSS in MiB) and ratios to the first variant. */
export interface Row {
  label: string;
  wall: number;
  wallQ1: number;
  wallQ3: number;
  cpu: number;
  rss: number;
  wallX: number;
  cpuX: number;
  rssX: number;
}

/** Per variant: medians of wall, CPU and peak RSS, the wall's interquartile range, and ratios to the first variant. */
export function summarize(variants: readonly { id: string; label: string }[], samples: ReadonlyMap<string, Samples>): Row[] {
  const rows = variants.map((v) => {
    const s = samples.get(v.id)!;
    return {
      label: v.label,
      wall: median(s.wall),
      wallQ1: quantile(s.wall, 0.25),
      wallQ3: quantile(s.wall, 0.75),
      cpu: median(s.cpu),
      rss: median(s.rss) / 1024,
    };
  });
  const base = rows[0]!;
  return rows.map((r) => ({ ...r, wallX: r.wall / base.wall, cpuX: r.cpu / base.cpu, rssX: r.rss / base.rss }));
}

/** A Markdown table: one row per variant, the baseline first. */
export function renderTable(rows: readonly Row[]): string {
  const f1 = (x: number): string => x.toFixed(1);
  const x2 = (x: number): string => `${x.toFixed(2)}x`;
  const lines = [
    '| command | wall ms (median) | wall p25–p75 | CPU ms (user+sys) | peak RSS MiB | wall ratio | CPU ratio | RSS ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${f1(r.wall)} | ${f1(r.wallQ1)}–${f1(r.wallQ3)} | ${f1(r.cpu)} | ${f1(r.rss)} | ${x2(r.wallX)} | ${x2(r.cpuX)} | ${x2(r.rssX)} |`,
    );
  }
  return lines.join('\n');
}
