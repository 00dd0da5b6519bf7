// Text to roff for the man pages (pure): escaping, `code` spans in bold, and a few man(7) building blocks.

/** Escapes text for a roff line: backslashes, non-ASCII (as \[uXXXX]), and a leading . or ' that would read as a request. */
export function escapeText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\\/g, '\\e')) {
    const code = ch.codePointAt(0)!;
    out += code > 0x7e ? `\\[u${code.toString(16).toUpperCase().padStart(4, '0')}]` : ch;
  }
  return out.replace(/^[.']/gm, '\\&$&');
}

/** Escapes text that is typed as is (options, paths, commands): every hyphen is a minus sign too. */
export function escapeLiteral(text: string): string {
  return escapeText(text).replace(/-/g, '\\-');
}

/** Prose where `code` spans are set in bold as literals. */
export function prose(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? `\\fB${escapeLiteral(part.slice(1, -1))}\\fR` : escapeText(part)))
    .join('')
    .replace(/^[.']/gm, '\\&$&');
}

/** A synopsis line: the program, commands and options in bold, placeholders (CAPITALS) in italics, brackets as is. */
export function synopsis(line: string): string {
  return line
    .split(/([\s[\]|]+)/)
    .map((word) => {
      if (word === '' || /^[\s[\]|]+$/.test(word)) return word.replace(/\s+/g, ' ');
      if (/^[A-Z][A-Z_]*(\.\.\.)?$/.test(word)) return `\\fI${escapeText(word)}\\fR`;
      return `\\fB${escapeLiteral(word)}\\fR`;
    })
    .join('');
}

/** .TH: title, section, date (YYYY-MM-DD), source and manual. */
export function titleLine(title: string, section: string, date: string, source: string, manual: string): string {
  const quote = (s: string) => `"${escapeText(s).replace(/"/g, '""')}"`;
  return `.TH ${quote(title)} ${section} ${quote(date)} ${quote(source)} ${quote(manual)}`;
}

/** A tagged paragraph: the tag line (already roff) and the body (already roff). */
export function tagged(tag: string, body: string): string {
  return `.TP\n${tag}\n${body}`;
}

/** Lines set as written, in a constant-width font (examples). */
export function example(lines: string): string {
  return `.PP\n.RS 4\n.nf\n.ft CR\n${lines.split('\n').map(escapeLiteral).join('\n')}\n.ft\n.fi\n.RE`;
}

/** Joins the pieces of a page, dropping empty ones; a page ends with a newline. */
export function page(pieces: readonly string[]): string {
  return `${pieces.filter((p) => p !== '').join('\n')}\n`;
}
