// Typed errors, each carrying the exit code that main.ts maps it to (3 = UNKNOWN: the pass could not judge).
export type ExitCode = 0 | 1 | 2 | 3;

/** Base of every error autoheal-once expects; anything else is an internal error. */
export class AutohealError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command-line arguments. */
export class UsageError extends AutohealError {
  constructor(message: string) {
    super(message, 3);
  }
}

/** One problem in the config, located for the operator. */
export interface ConfigIssue {
  line: number;
  col: number;
  /** Key path such as `web_service.dep[1].port`, or '' for the whole document. */
  path: string;
  message: string;
}

/** The config could not be read or is invalid; carries every problem found. */
export class ConfigError extends AutohealError {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];
  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(formatIssues(file, issues), 3, options);
    this.file = file;
    this.issues = issues;
  }
}

/** State directory or state file unusable. */
export class StateError extends AutohealError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 3, options);
  }
}

/** Another pass holds the lock of this state directory: this one does nothing (exit 3, documented). */
export class PassBusyError extends AutohealError {
  constructor(stateDir: string, holderPid?: number) {
    super(`another pass${holderPid ? ` (pid ${holderPid})` : ''} is running on ${stateDir}; this one did nothing`, 3);
  }
}

/**
 * `file:line:col: path: message`, one line per issue; line 0 is a problem with the file as a whole. A `label`
 * goes after the position, as compilers print theirs: `file:line:col: warning: path: message`.
 */
export function formatIssues(file: string, issues: readonly ConfigIssue[], label?: string): string {
  const tag = label === undefined ? '' : `${label}: `;
  return issues.map((i) => `${file}${i.line > 0 ? `:${i.line}:${i.col}` : ''}: ${tag}${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
}
