import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** A process the demo started, its output in a log file. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) once it ended. */
  readonly exited: Promise<number | string>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs: number): Promise<number | string>;
  logTail(lines?: number): string;
}

/**
 * Starts `command` in its own process group: the terminal's Ctrl-C reaches the demo alone, which
 * then stops each child once, in order (a second signal would make the worker exit at once).
 */
export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, cwd: string): Child {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`cannot start ${name}: ${command}`);
  const pid = child.pid;
  let ended = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      ended = true;
      resolve(code ?? signal ?? -1);
    });
    child.on('error', () => {
      ended = true;
      resolve(-1);
    });
  });
  return {
    name,
    pid,
    logFile,
    exited,
    running: () => !ended,
    stop: async (graceMs) => {
      if (ended) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
    logTail: (lines = 20) => {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}
