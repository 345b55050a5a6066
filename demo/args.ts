import { parseArgs } from 'node:util';

export interface RunArgs {
  /** Stop by itself after this many seconds (unset: on Ctrl-C). */
  durationS?: number;
  /** An existing cluster: no local broker is started. */
  brokers?: string;
  kafkaPort: number;
  metricsPort: number;
  topic: string;
  inputTopics: string;
  group: string;
  rate: number;
  burstEveryS: number;
  intervalS: number;
}

export const RUN_USAGE = `usage: npm run demo -- [options]
Starts a local Kafka broker (scripts/kafka), a faultline worker and the demo log producer, and
prints live counts from the worker's /metrics until Ctrl-C; then stops what it started.
  --duration <s>        stop after this many seconds
  --brokers <list>      use this Kafka cluster instead of starting a local broker
  --kafka-port <n>      port of the local broker (KAFKA_PORT, default 9092; reused if running)
  --metrics-port <n>    worker's metrics port (default 9464)
  --topic <name>        topic the producer writes (default logs.app)
  --input-topics <list> what the worker consumes (default logs\\..*)
  --group <id>          the worker's consumer group (default faultline-demo)
  --rate <n>            ordinary log lines per second (default 20)
  --burst-every <s>     seconds between incidents (default 15)
  --interval <s>        seconds between count lines (default 5)`;


/** A numeric flag or env value within bounds, or the fallback when unset. */
function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name}: expected a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      brokers: { type: 'string' },
      'kafka-port': { type: 'string' },
      'metrics-port': { type: 'string' },
      topic: { type: 'string' },
      'input-topics': { type: 'string' },
      group: { type: 'string' },
      rate: { type: 'string' },
      'burst-every': { type: 'string' },
      interval: { type: 'string' },
    },
    strict: true,
  });
  const args: RunArgs = {
    kafkaPort: num('--kafka-port', values['kafka-port'] ?? env.KAFKA_PORT, 9092, 1, 65535),
    metricsPort: num('--metrics-port', values['metrics-port'], 9464, 1, 65535),
    topic: values.topic ?? 'logs.app',
    inputTopics: values['input-topics'] ?? 'logs\\..*',
    group: values.group ?? 'faultline-demo',
    rate: num('--rate', values.rate, 20, 0, 2000),
    burstEveryS: num('--burst-every', values['burst-every'], 15, 1, 3600),
    intervalS: num('--interval', values.interval, 5, 1, 3600),
  };
  if (values.duration !== undefined) args.durationS = num('--duration', values.duration, 0, 1, 7 * 24 * 3600);
  if (values.brokers !== undefined) args.brokers = values.brokers;
  return args;
}
