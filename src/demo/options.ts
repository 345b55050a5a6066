import { parseArgs } from 'node:util';
import { resolveConfig, type Config } from '../config/config.js';
import { DEFAULT_SCHEDULE, type ScheduleOptions } from './schedule.js';

/** The demo producer's settings: Kafka connection and rules from the shared config, the rest its own. */
export interface DemoOptions {
  config: Config;
  topic: string;
  partitions: number;
  schedule: ScheduleOptions;
  /** Stop by itself after this many seconds (unset: run until SIGTERM/SIGINT). */
  durationS?: number;
}

export class DemoUsageError extends Error {
  override name = 'DemoUsageError';
}

export const DEMO_USAGE = `usage: node dist/demo/main.js [options]   (Kafka and rules settings as for the worker: KAFKA_BROKERS, FAULTLINE_RULES, …)
  --brokers <list>       Kafka bootstrap servers (KAFKA_BROKERS)
  --topic <name>         topic to write to (FAULTLINE_DEMO_TOPIC, default logs.app)
  --partitions <n>       partitions when the topic is created (FAULTLINE_DEMO_PARTITIONS, default 3)
  --rate <n>             ordinary lines per second (FAULTLINE_DEMO_RATE, default ${DEFAULT_SCHEDULE.rate}, at most 2000)
  --burst-every <s>      seconds between incidents (FAULTLINE_DEMO_BURST_EVERY, default ${DEFAULT_SCHEDULE.burstEveryMs / 1000})
  --burst-size <n>       signal lines per incident (FAULTLINE_DEMO_BURST_SIZE, default ${DEFAULT_SCHEDULE.burstSize}, at most 1000)
  --seed <n>             random seed (FAULTLINE_DEMO_SEED, default: time-based)
  --duration <s>         stop after this many seconds (default: on SIGTERM/SIGINT)`;

/** A numeric flag or env value within bounds, or the fallback when unset. */
export function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new DemoUsageError(`${name}: expected a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function parseDemoOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      brokers: { type: 'string' },
      topic: { type: 'string' },
      partitions: { type: 'string' },
      rate: { type: 'string' },
      'burst-every': { type: 'string' },
      'burst-size': { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
    },
    strict: true,
  });
  const clientId = env.FAULTLINE_CLIENT_ID ?? 'faultline-demo';
  const config = resolveConfig('demo', values.brokers === undefined ? { clientId } : { brokers: values.brokers, clientId }, env);
  if (config.brokers === undefined || config.brokers.length === 0) throw new DemoUsageError('KAFKA_BROKERS (--brokers): required');
  const topic = values.topic ?? env.FAULTLINE_DEMO_TOPIC ?? 'logs.app';
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) throw new DemoUsageError(`--topic: "${topic}" is not a Kafka topic name`);
  const options: DemoOptions = {
    config,
    topic,
    partitions: number('--partitions', values.partitions ?? env.FAULTLINE_DEMO_PARTITIONS, 3, 1, 1000),
    schedule: {
      ...DEFAULT_SCHEDULE,
      rate: number('--rate', values.rate ?? env.FAULTLINE_DEMO_RATE, DEFAULT_SCHEDULE.rate, 0, 2000),
      burstEveryMs: 1000 * number('--burst-every', values['burst-every'] ?? env.FAULTLINE_DEMO_BURST_EVERY, DEFAULT_SCHEDULE.burstEveryMs / 1000, 1, 3600),
      burstSize: number('--burst-size', values['burst-size'] ?? env.FAULTLINE_DEMO_BURST_SIZE, DEFAULT_SCHEDULE.burstSize, 1, 1000),
      seed: number('--seed', values.seed ?? env.FAULTLINE_DEMO_SEED, Date.now() % 2 ** 32, 0, 2 ** 32 - 1),
    },
  };
  if (values.duration !== undefined) options.durationS = number('--duration', values.duration, 0, 1, 7 * 24 * 3600);
  return options;
}
