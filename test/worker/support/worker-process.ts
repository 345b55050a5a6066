// Runs the worker as a child process (the real CLI when built and wired, else worker-entry.ts via
// tsx) and follows its JSON log lines on stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokerList, waitUntil } from '../../support/kafka.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

export interface LogLine {
  level: string;
  msg: string;
  event?: string;
  [k: string]: unknown;
}

export interface WorkerProcess {
  child: ChildProcess;
  logs: LogLine[];
  /** Resolves with the exit code (or the signal name) once the process ended. */
  exited: Promise<number | string>;
  waitForEvent(event: string, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once `count` batches were committed (the worker must log at debug). */
  waitForBatches(count: number, timeoutMs?: number): Promise<void>;
  stderrText(): string;
}

/**
 * `node dist/cli/main.js worker` if the built CLI knows the command and is newer than every
 * source file, else the tsx entry — loaded with --import in this one process: the tsx CLI would
 * run the worker in a child of its own, which a SIGKILL of the process we hold would leave running.
 */
function command(): string[] {
  const main = `${ROOT}dist/cli/main.js`;
  const built = existsSync(main) && existsSync(`${ROOT}dist/cli/worker.js`) && /['"]worker['"]/.test(readFileSync(main, 'utf8'));
  if (built && statSync(`${ROOT}dist/cli/worker.js`).mtimeMs >= newestSource(`${ROOT}src`)) return [main, 'worker'];
  return ['--import', 'tsx', ENTRY];
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, command(), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      KAFKA_BROKERS: brokerList().join(','),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      FAULTLINE_METRICS_PORT: '0',
      FAULTLINE_METRICS_HOST: '127.0.0.1',
      FAULTLINE_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: LogLine[] = [];
  let raw = '';
  let pending = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    raw += d;
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  // A timeout says what the worker was doing: the end of its log.
  const explain = (err: unknown): never => {
    const tail = raw.split('\n').slice(-15).join('\n');
    throw new Error(`${(err as Error).message}\n--- worker stderr (end) ---\n${tail}`);
  };
  return {
    child,
    logs,
    exited,
    stderrText: () => raw,
    waitForEvent: (event, timeoutMs = 60_000) =>
      waitUntil(() => logs.find((l) => l.event === event), { timeoutMs, intervalMs: 100, what: `worker log event "${event}"` }).catch(explain),
    waitForBatches: async (count, timeoutMs = 90_000) => {
      await waitUntil(() => logs.filter((l) => l.event === 'batch-committed').length >= count, {
        timeoutMs,
        intervalMs: 50,
        what: `${count} committed batches`,
      }).catch(explain);
    },
  };
}

/** Kills the process if it still runs (test cleanup). */
export async function killWorker(w: WorkerProcess | undefined): Promise<void> {
  if (w === undefined || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGKILL');
  await w.exited;
}
