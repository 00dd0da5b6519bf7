// Medians, ratios to the baseline and the Markdown table of the start-up bench (pure).

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value at quantile q (0..1) by nearest rank. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Per variant: medians of wall, CPU and peak RSS, the wall's interquartile range, and ratios to the first variant. */
export function summarize(variants, samples) {
  const rows = variants.map((v) => {
    const s = samples.get(v.id);
    return {
      label: v.label,
      wall: median(s.wall),
      wallQ1: quantile(s.wall, 0.25),
      wallQ3: quantile(s.wall, 0.75),
      cpu: median(s.cpu),
      rss: median(s.rss) / 1024,
    };
  });
  const base = rows[0];
  return rows.map((r) => ({ ...r, wallX: r.wall / base.wall, cpuX: r.cpu / base.cpu, rssX: r.rss / base.rss }));
}

/** A Markdown table: one row per variant, the baseline first. */
export function renderTable(rows) {
  const f1 = (x) => x.toFixed(1);
  const x2 = (x) => `${x.toFixed(2)}x`;
  const lines = [
    '| command | wall ms (median) | wall p25–p75 | CPU ms (user+sys) | peak RSS MiB | wall ratio | CPU ratio | RSS ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.label} | ${f1(r.wall)} | ${f1(r.wallQ1)}–${f1(r.wallQ3)} | ${f1(r.cpu)} | ${f1(r.rss)} | ${x2(r.wallX)} | ${x2(r.cpuX)} | ${x2(r.rssX)} |`);
  }
  return lines.join('\n');
}

/** Fisher–Yates, in place. */
export function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
