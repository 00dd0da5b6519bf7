// Bounds that keep one pass fast and small whatever the config file holds (cron runs it every minute).

/** A host's config is a few kilobytes; anything past this is refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Flow collections (`[` `{`) nested deeper than this are refused before the YAML parser sees them. */
export const MAX_FLOW_DEPTH = 64;

/**
 * Block structure indented past this column is refused: block nesting needs a column per level, and the parser
 * overflows its stack somewhere near 900 levels.
 */
export const MAX_INDENT = 256;

/**
 * Work allowed through aliases and merge keys: one unit per alias followed plus one per entry a merge brings in.
 * Far above what sharing a few blocks between hundreds of services needs; an alias bomb hits it at once.
 */
export const MAX_ALIAS_WORK = 100_000;

/** Issues listed; past this, one last issue says how many more there were. */
export const MAX_ISSUES = 200;

/** Found-values longer than this are cut in messages. */
export const MAX_ECHO_CHARS = 80;
