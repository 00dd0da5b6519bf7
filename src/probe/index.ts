// The probes: liveness from /proc and pid files, readiness by TCP and HTTP. Re-exports only.
export type { ProbeResult, ProbeStatus, ProcessInfo } from './types.js';
export { scanProcesses, readProcess } from './proc.js';
export { parseStat, parseArgv0, isDeadState } from './proc-parse.js';
export { indexProcesses, matchProcessName, carriesName, findProcesses } from './process-table.js';
export type { ProcessTable, NameMatches } from './process-table.js';
export { probePidFile, type PidFileObservation } from './pid-file.js';
export { parsePid, classifyPidFileError } from './pid-file-parse.js';
export { probeLiveness, needsProcessScan, judgeByName, judgePidFileAgainstName } from './liveness.js';
export type { LivenessObservation, LivenessOptions } from './liveness.js';
export { probeTcp } from './tcp.js';
export { probeHttp, MAX_BODY_BYTES } from './http.js';
export { classifyHttpStatus } from './http-status.js';
export { describeNetError } from './net-errors.js';
export { runBounded } from '../util/bounded.js';
export { probeKey } from './key.js';
export { probeDependencies, probeDependency } from './deps.js';
