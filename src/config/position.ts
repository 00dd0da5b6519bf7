// Offsets to 1-based line:col, counted the way yaml's LineCounter counts them (lines end at \n; col in UTF-16 units).

/** Line and column of `offset` in `text`, both from 1. */
export function positionAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, col: offset - start + 1 };
}
