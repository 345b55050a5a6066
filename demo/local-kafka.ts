import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * The Docker-free broker of scripts/kafka on 127.0.0.1:<port>: reused when one already runs
 * there (and then left running), else started (and stopped again by the demo).
 */
export interface LocalKafka {
  bootstrap: string;
  startedByUs: boolean;
  stop(): Promise<void>;
}

function kafkaScript(root: string, args: string[], port: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [path.join(root, 'scripts/kafka/kafka.sh'), ...args],
      { env: { ...process.env, KAFKA_PORT: String(port) }, timeout: 15 * 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

export async function ensureLocalKafka(root: string, port: number, say: (line: string) => void): Promise<LocalKafka> {
  const bootstrap = `127.0.0.1:${port}`;
  const status = await kafkaScript(root, ['status'], port);
  if (status.code === 0) {
    say(`Kafka: reusing the broker already running on ${bootstrap} (left running afterwards)`);
    return { bootstrap, startedByUs: false, stop: async () => {} };
  }
  say(`Kafka: starting a local broker on ${bootstrap} (scripts/kafka; the first run fetches it from Maven Central)…`);
  const started = await kafkaScript(root, ['start'], port);
  if (started.code !== 0) throw new Error(`cannot start Kafka on ${bootstrap}:\n${started.output}`);
  return {
    bootstrap,
    startedByUs: true,
    stop: async () => {
      const stopped = await kafkaScript(root, ['stop'], port);
      if (stopped.code !== 0) throw new Error(`kafka.sh stop: ${stopped.output}`);
    },
  };
}
