// Runs scripts/kafka/kafka.sh (the Docker-free broker) from Node, for the test setup and for
// fault tests that stop, kill or restart the broker.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const KAFKA_SCRIPT = fileURLToPath(new URL('../../scripts/kafka/kafka.sh', import.meta.url));

/** What selects one script-managed broker: passed back to kafka.sh as environment. */
// A type, not an interface: it must be assignable to a plain environment record.
export type ScriptBrokerEnv = {
  KAFKA_PORT: string;
  KAFKA_VERSION: string;
  KAFKA_NUM_PARTITIONS?: string;
  FAULTLINE_CACHE_DIR?: string;
};

export interface ScriptResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `kafka.sh <args>` with `env` on top of this process's environment. Rejects with the
 * script's own message (its last stderr line) when it exits non-zero or outlives `timeoutMs`.
 */
export function runKafkaScript(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 10 * 60_000,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [KAFKA_SCRIPT, ...args],
      { env: { ...process.env, ...env }, timeout: timeoutMs, killSignal: 'SIGTERM', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ stdout, stderr });
          return;
        }
        const why = lastLine(stderr) ?? (err.killed ? `timed out after ${timeoutMs} ms` : err.message);
        const failure = new Error(`kafka.sh ${args.join(' ')}: ${why}`, { cause: err });
        Object.assign(failure, { stdout, stderr });
        reject(failure);
      },
    );
  });
}

/** `kafka.sh env` as a record (resolved version, bootstrap address, run dir, …). */
export async function scriptSettings(env: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const { stdout } = await runKafkaScript(['env'], env, 10_000);
  const settings: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) settings[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return settings;
}

function lastLine(text: string): string | undefined {
  const lines = text.trim().split('\n').filter((l) => l.trim() !== '');
  return lines.at(-1);
}
