import { parseArgs } from 'node:util';
import { optionsFor, resolveConfig, type Config } from '../config/config.js';
import { DEFAULT_SCHEDULE, type ScheduleOptions } from './schedule.js';

/** The demo producer's settings, all from the config module (src/config/options.ts). */
export interface DemoOptions {
  config: Config;
  topic: string;
  partitions: number;
  schedule: ScheduleOptions;
  /** Stop by itself after this many seconds (unset: run until SIGTERM/SIGINT). */
  durationS?: number;
}

/** The demo's own settings, and the Kafka ones it is usually given on the command line. */
const LISTED = ['brokers', 'topic', 'partitions', 'rate', 'burstEvery', 'burstSize', 'seed', 'duration'];

function usageLine(spec: ReturnType<typeof optionsFor>[number]): string {
  const notes = [spec.env, spec.default === undefined ? undefined : `default ${String(spec.default)}`].filter((n) => n !== undefined);
  return `  ${spec.flag.padEnd(22)} ${spec.help}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

export const DEMO_USAGE = [
  'usage: node dist/demo/main.js [options]   (every setting of `faultline worker` for Kafka and rules applies: KAFKA_BROKERS, FAULTLINE_RULES, …)',
  ...optionsFor('demo')
    .filter((o) => LISTED.includes(o.key))
    .map(usageLine),
].join('\n');

/** Flags as the config module's keys: `--burst-every` is burstEvery, and so on. */
function flagValues(argv: readonly string[]): Record<string, unknown> {
  const specs = optionsFor('demo');
  const byName = new Map(specs.map((o) => [o.flag.split(' ')[0]?.slice(2) ?? '', o]));
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries([...byName].map(([name, spec]) => [name, { type: spec.flag.includes('<') ? 'string' : 'boolean' }] as const)),
    strict: true,
  });
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [byName.get(name)?.key ?? name, value]));
}

/** Throws ConfigError (one line per problem) or a parseArgs error for an unknown flag. */
export function parseDemoOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
  const flags = flagValues(argv);
  const config = resolveConfig('demo', { clientId: env.FAULTLINE_CLIENT_ID ?? 'faultline-demo', ...flags }, env);
  const options: DemoOptions = {
    config,
    topic: config.topic ?? 'logs.app',
    partitions: config.partitions ?? 3,
    schedule: {
      ...DEFAULT_SCHEDULE,
      rate: config.rate ?? DEFAULT_SCHEDULE.rate,
      burstEveryMs: 1000 * (config.burstEvery ?? DEFAULT_SCHEDULE.burstEveryMs / 1000),
      burstSize: config.burstSize ?? DEFAULT_SCHEDULE.burstSize,
      seed: config.seed ?? Date.now() % 2 ** 32,
    },
  };
  if (config.duration !== undefined) options.durationS = config.duration;
  return options;
}
