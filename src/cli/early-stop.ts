/**
 * SIGTERM and SIGINT for `faultline worker` from its first line on. Importing the rest of the CLI
 * (commander, ajv, kafkajs, pino, the native re2 module) takes a noticeable time on a busy node,
 * and until a handler is installed a SIGTERM kills the process with the default action (exit
 * 143, which Kubernetes reports as an error). Until the worker installs its own graceful handler
 * (src/cli/worker.ts), nothing has been consumed, so there is nothing to finish or commit: the
 * right answer is a clean exit 0 at once.
 *
 * Node built-ins only, and nothing else in this file: it must load in a few milliseconds.
 */

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** pino is not loaded yet: one line in the same JSON shape as the worker's logs. */
function logLine(level: string, fields: Record<string, unknown>, msg: string): void {
  const line = { level, time: new Date().toISOString(), pid: process.pid, name: 'faultline', ...fields, msg };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

function stopDuringStartUp(signal: NodeJS.Signals): void {
  logLine('info', { event: 'shutdown', signal, reason: 'start-up' }, `${signal} during start-up: nothing consumed yet, exiting`);
  process.exit(0);
}

/** Installs the start-up handler (for `worker` only: the other commands keep the default action). */
export function installEarlyStop(): void {
  for (const s of STOP_SIGNALS) process.on(s, stopDuringStartUp);
  // Where start-up time goes, when debugging it (env only: the flags are not parsed yet).
  const level = process.env.FAULTLINE_LOG_LEVEL;
  if (level === 'debug' || level === 'trace') {
    logLine('debug', { event: 'process-start', uptimeMs: Math.round(process.uptime() * 1000) }, 'process started: stop handler installed, loading the CLI');
  }
}

/** The worker's own handler is installed: the start-up one steps aside. */
export function handOverEarlyStop(): void {
  for (const s of STOP_SIGNALS) process.off(s, stopDuringStartUp);
}
