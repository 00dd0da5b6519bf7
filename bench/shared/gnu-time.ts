// GNU time (/usr/bin/time): the peak RSS of a command (%M) and its other figures, written to a file of our own.
import { readFileSync, rmSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

/** argv running `argv` under GNU time, which writes `format` (e.g. '%M %x') to `outFile` when it ends. */
export function underGnuTime(argv: readonly string[], outFile: string, format: string): string[] {
  return [GNU_TIME, '-q', '-f', format, '-o', outFile, '--', ...argv];
}

/**
 * The numbers of the last line GNU time wrote to `outFile`, then removes it; null when there is none (the run was
 * killed before time could write).
 */
export function readGnuTime(outFile: string): number[] | null {
  let text: string;
  try {
    text = readFileSync(outFile, 'utf8');
  } catch {
    return null;
  }
  rmSync(outFile, { force: true });
  const last = text.trim().split('\n').pop() ?? '';
  const fields = last.split(' ').map(Number);
  return last !== '' && fields.every(Number.isFinite) ? fields : null;
}
