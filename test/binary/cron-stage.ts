// What the cron tests share: a staged binary that kills its services by pid, configs, and the fd-holding daemon.
import type { TestContext } from 'node:test';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, killPid, readPidFile, shellQuote } from '../helpers/util.js';
import { configYaml, type ServiceSpec } from '../helpers/config-fixture.js';
import { stageStandalone, type Standalone } from './standalone.js';

/** Shell words that run fixtures/bin/fd-holder.sh: a daemon that keeps every fd it inherits open. */
export const fdHolder = (pidFile: string): string => `${shellQuote(fixture('bin', 'fd-holder.sh'))} ${shellQuote(pidFile)}`;

/** A staged binary whose temp dir goes after the test, once the process of every pid file it handed out is killed. */
export function stageWithPids(t: TestContext): Standalone & { pidFile: (name: string) => string } {
  const staged = stageStandalone(t);
  const pidFiles: string[] = [];
  staged.fx.defer(async () => {
    for (const file of pidFiles) {
      const pid = readPidFile(file);
      if (pid !== undefined) await killPid(pid);
    }
  });
  const pidFile = (name: string): string => {
    pidFiles.push(join(staged.dir, name));
    return join(staged.dir, name);
  };
  return { ...staged, pidFile };
}

/** What each open descriptor of a process points at, e.g. `1 -> pipe:[123]`. */
export function openFds(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => `${fd} -> ${readlinkSync(`/proc/${pid}/fd/${fd}`)}`);
}

/** A config of one service, looked up by pid file; `extra` holds more of its keys. */
export function service(name: string, pidFile: string, script: string, extra: ServiceSpec = {}): string {
  return configYaml({ [name]: { pid_file: pidFile, script, ...extra } });
}
