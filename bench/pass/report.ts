// Turns measured runs into statistics, markdown tables for BENCHMARKS.md, and a short console summary.
import { formatMiB as mib, formatMs as ms, median } from '../shared/stats.js';
import type { PassResult, Rep } from './runner.js';
import type { Tool } from './tools.js';
import { isScaleResult, renderScaleTable, scaleSummaryLines, type ScaleResult } from './scale.js';

/** What one scenario produced: the tools' repetitions, or S6's rounds. */
export type Result = PassResult | ScaleResult;

/** One tool's repetitions in one scenario, summed up. */
export interface Summary {
  n: number;
  wrong: string | null;
  median: number | null;
  min: number | null;
  max: number | null;
  peakTreeKiB: number | null;
  peakProcs: number | null;
  maxRssKiB: number | null;
  exits: string;
  passes: number | null;
  passRange: [number, number] | null;
  minutes: number | null;
}

/** Summary of one tool in one scenario: medians and ranges over the reps that did the right thing. */
export function summarize(reps: readonly Rep[]): Summary {
  const wrong = reps.filter((r) => r.wrong.length);
  const ok = reps.filter((r) => !r.wrong.length);
  const walls = ok.map((r) => r.wallMs);
  return {
    n: reps.length,
    wrong: wrong.length ? `wrong: ${wrong[0]!.wrong.join('; ')} (${wrong.length}/${reps.length} reps)` : null,
    median: walls.length ? median(walls) : null,
    min: walls.length ? Math.min(...walls) : null,
    max: walls.length ? Math.max(...walls) : null,
    peakTreeKiB: reps.length ? Math.max(...reps.map((r) => r.peakTreeKiB)) : null,
    peakProcs: reps.length ? Math.max(...reps.map((r) => r.peakProcs)) : null,
    maxRssKiB: reps.length ? Math.max(...reps.map((r) => r.maxRssKiB ?? 0)) : null,
    exits: [...new Set(reps.map((r) => r.code))].join(','),
    passes: reps[0]?.passes !== undefined && ok.length ? median(ok.map((r) => r.passes ?? 0)) : null,
    passRange:
      ok.length && reps[0]?.passes !== undefined ? [Math.min(...ok.map((r) => r.passes ?? 0)), Math.max(...ok.map((r) => r.passes ?? 0))] : null,
    minutes: reps[0]?.minutes !== undefined && ok.length ? median(ok.map((r) => r.minutes ?? 0)) : null,
  };
}

type Row = { tool: Tool; s: Summary };

function singleTable(rows: readonly Row[]): string[] {
  const out = [
    '| tool | reps | median | min | max | peak RSS, whole tree | largest process (%M) | exit | check |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const { tool, s } of rows) {
    const t = s.median === null ? [s.wrong ?? '–', '–', '–'] : [ms(s.median), ms(s.min ?? 0), ms(s.max ?? 0)];
    const check = s.wrong ? (s.median === null ? 'wrong' : s.wrong) : 'ok';
    out.push(
      `| ${tool.label} | ${s.n} | ${t.join(' | ')} | ${mib(s.peakTreeKiB)} (${s.peakProcs} procs) | ${mib(s.maxRssKiB)} | ${s.exits} | ${check} |`,
    );
  }
  return out;
}

function chainTable(rows: readonly Row[]): string[] {
  const out = [
    '| tool | reps | cron minutes (paced passes) | back-to-back passes (median, range) | back to back, time until all up: median | min | max | peak RSS, whole tree | check |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { tool, s } of rows) {
    const passes = s.passes === null ? '–' : `${s.passes} (${(s.passRange ?? []).join('–')})`;
    const t = s.median === null ? ['–', '–', '–'] : [ms(s.median), ms(s.min ?? 0), ms(s.max ?? 0)];
    const minutes = s.minutes === null ? '–' : String(s.minutes);
    out.push(`| ${tool.label} | ${s.n} | ${minutes} | ${passes} | ${t.join(' | ')} | ${mib(s.peakTreeKiB)} | ${s.wrong ?? 'ok'} |`);
  }
  return out;
}

/** Markdown for all scenarios, in run order. */
export function renderTables(results: readonly Result[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`### ${r.scenario.id}: ${r.scenario.title}`, '', r.scenario.note, '');
    if (isScaleResult(r)) {
      out.push(...renderScaleTable(r), '');
      continue;
    }
    const rows = r.tools.map((t) => ({ tool: t.tool, s: summarize(t.reps) }));
    out.push(...(r.scenario.chain ? chainTable(rows) : singleTable(rows)), '');
    for (const line of r.skipped ?? []) out.push(`- ${line}`);
    if (r.skipped?.length) out.push('');
  }
  return out.join('\n');
}

/** One line per scenario: autoheal-once's median and how many times slower each peer was. */
export function summaryLines(results: readonly Result[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (isScaleResult(r)) {
      lines.push(...scaleSummaryLines(r));
      continue;
    }
    const by = new Map(r.tools.map((t) => [t.tool.id, summarize(t.reps)]));
    const cell = (id: string): string => {
      const s = by.get(id);
      if (!s) return 'not run';
      if (s.wrong) return s.wrong.slice(0, 120);
      const extra = s.passes !== null ? ` (${s.passes} passes back to back; ${s.minutes} cron minutes paced)` : '';
      return `${ms(s.median ?? 0)}${extra}`;
    };
    const a = by.get('autoheal');
    const ratio = (id: string): string => {
      const s = by.get(id);
      if (!a || a.wrong || !s || s.wrong || !a.median || s.median === null) return '';
      const r = s.median / a.median;
      return r >= 1 ? ` (autoheal-once ${r.toFixed(1)}× faster)` : ` (autoheal-once ${(1 / r).toFixed(1)}× slower)`;
    };
    const bundle = by.has('autoheal-bundle') ? ` (bundle: ${cell('autoheal-bundle')})` : '';
    lines.push(
      `${r.scenario.id} ${r.scenario.short}: autoheal-once ${cell('autoheal')}${bundle} | seed sh ${cell('seed')}${ratio('seed')} | monit ${cell('monit')}${ratio('monit')}`,
    );
  }
  return lines;
}
