// Runs autoheal-once as built (bundle or executable, see command.ts) as an operator would: stdout a pipe, not a TTY.
// Also frees ports for configs.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fixture, isAlive, killPid, readPidFile, waitFor } from './util.js';
import { autoheal } from './command.js';
import { assertSchemaValid } from './schema.js';
import { runToEnd, type ToolRun } from './tools.js';

/** What a run of autoheal-once printed, its exit code and how long it took. */
export type CliRun = ToolRun;

/** Whether the arguments ask for JSON output, and which schema it answers to. */
function jsonSchemaOf(args: readonly string[]): 'report' | 'status' | undefined {
  const json = args.some((a, i) => a === '--json' || a === '--format=json' || (a === '--format' && args[i + 1] === 'json'));
  if (!json) return undefined;
  return args[0] === 'status' ? 'status' : 'report';
}

/**
 * Runs `autoheal-once ARGS` (as AUTOHEAL_TEST_COMMAND selects) to completion. Whatever it prints with --json is checked against its
 * JSON Schema (schema/report.schema.json, schema/status.schema.json), so every report a test produces is. Node's
 * own warnings (the executable's SEA warning, an ExperimentalWarning) fail every run: cron would mail them.
 */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<CliRun> {
  const run = await runToEnd(autoheal.file, autoheal.argv(args), { env, timeoutMs, what: `autoheal-once ${args.join(' ')}` });
  const warning = /^\(node:\d+\) .*$/m.exec(run.stderr);
  if (warning) throw new Error(`autoheal-once ${args.join(' ')} (${autoheal.kind}) printed a warning of Node's: ${warning[0]}`);
  const schema = jsonSchemaOf(args);
  if (schema && run.stdout.trim() !== '') assertSchemaValid(schema, JSON.parse(run.stdout), `the output of autoheal-once ${args.join(' ')}`);
  return run;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A TCP server on 127.0.0.1, port 0, that accepts and never answers (a hung dependency, or a TCP one that is up). */
export async function hangingServer(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    s.on('error', () => {});
    sockets.add(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Shell that waits until `file` exists, at most `seconds`; exits 97 when it never comes (the test then fails). */
export const awaitFile = (file: string, seconds = 30): string =>
  `i=0; while [ ! -e '${file}' ]; do i=$((i+1)); [ $i -gt ${seconds * 50} ] && exit 97; sleep 0.02; done`;

/** Shell command that starts fake-service in the background, as a restart script would. */
export function startCommand(dir: string, name: string, extra = ''): string {
  return `${process.execPath} ${fixture('bin', 'fake-service.mjs')} --name ${name} --pid-file ${join(dir, `${name}.pid`)} ${extra} &`;
}

/** The pid a fake service wrote, once it has and the process runs. */
export async function waitForPid(dir: string, name: string): Promise<number> {
  return waitFor(() => {
    const pid = readPidFile(join(dir, `${name}.pid`));
    return pid !== undefined && isAlive(pid) ? pid : 0;
  }, `${name} to write its pid file`);
}

/** Kills every pid listed in `<dir>/<name>.pid` for the given names (test cleanup). */
export async function killServices(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const pid = readPidFile(join(dir, `${name}.pid`)); // undefined: never started
    if (pid !== undefined) await killPid(pid);
  }
}
