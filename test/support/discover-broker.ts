// Finds or starts the Kafka broker for the kafka test project, in this order:
//   1. KAFKA_BROKERS, when set (a broker someone else runs);
//   2. testcontainers (apache/kafka), when a Docker engine answers a ping;
//   3. scripts/kafka on KAFKA_TEST_PORT (19092): reused if running, else started, and stopped
//      again by the last test run that needed it if a test run started it.
// FAULTLINE_KAFKA_SOURCE=env|testcontainers|script forces one way (no fallback).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dockerAnswers } from './docker-probe.js';
import type { KafkaBrokerInfo, KafkaSource } from './kafka-context.js';
import { runKafkaScript, scriptSettings, type ScriptBrokerEnv } from './kafka-script.js';
import { startKafkaContainer } from './testcontainers-kafka.js';

export const NO_BROKER_MESSAGE =
  'no Kafka broker: set KAFKA_BROKERS, start Docker, or install Java 17 + Maven for scripts/kafka ' +
  '(bash scripts/ci/install-system-deps.sh)';

/** Partitions of auto-created topics on brokers this setup starts. */
export const TEST_NUM_PARTITIONS = 4;
const DEFAULT_TEST_PORT = '19092';

export interface DiscoveredBroker {
  info: KafkaBrokerInfo;
  /** Lets go of the broker: stops it if this setup owns it. */
  release(): Promise<void>;
}

/** An expected failure whose message is the whole story (no stack needed). */
export class NoBrokerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoBrokerError';
    this.stack = message;
  }
}

export async function discoverBroker(env: NodeJS.ProcessEnv = process.env): Promise<DiscoveredBroker> {
  const forced = parseSource(env.FAULTLINE_KAFKA_SOURCE);
  const brokersFromEnv = env.KAFKA_BROKERS?.trim();

  if (forced === 'env' || (forced === undefined && brokersFromEnv)) {
    if (!brokersFromEnv) throw new NoBrokerError('FAULTLINE_KAFKA_SOURCE=env but KAFKA_BROKERS is empty');
    const version = env.KAFKA_VERSION ? (await scriptSettings({ KAFKA_VERSION: env.KAFKA_VERSION })).KAFKA_VERSION ?? null : null;
    return {
      info: { brokers: splitBrokers(brokersFromEnv), source: 'env', version, restartable: false, scriptEnv: null },
      release: async () => {},
    };
  }

  // The release both other ways run: the pin behind KAFKA_VERSION (default: the 4.x pin).
  const settings = await scriptSettings({ KAFKA_VERSION: env.KAFKA_VERSION ?? '' });
  const version = required(settings, 'KAFKA_VERSION');

  if (forced === 'testcontainers' || (forced === undefined && (await dockerAnswers(env)))) {
    try {
      const container = await startKafkaContainer(version, TEST_NUM_PARTITIONS);
      return {
        info: { brokers: [container.brokers], source: 'testcontainers', version, restartable: false, scriptEnv: null },
        release: () => container.stop(),
      };
    } catch (err) {
      if (forced === 'testcontainers') throw err;
      console.warn(`kafka tests: Docker answered but testcontainers failed (${oneLine(err)}); using scripts/kafka`);
    }
  }

  const scriptEnv: ScriptBrokerEnv = {
    KAFKA_PORT: env.KAFKA_TEST_PORT ?? DEFAULT_TEST_PORT,
    KAFKA_VERSION: version,
    KAFKA_NUM_PARTITIONS: String(TEST_NUM_PARTITIONS),
    ...(env.FAULTLINE_CACHE_DIR ? { FAULTLINE_CACHE_DIR: env.FAULTLINE_CACHE_DIR } : {}),
  };
  const scriptInfo = await scriptSettings(scriptEnv);
  const kafkaHome = required(scriptInfo, 'KAFKA_HOME');
  if (!scriptCanRun(kafkaHome, env)) throw new NoBrokerError(NO_BROKER_MESSAGE);
  if (!existsSync(join(kafkaHome, '.installed'))) {
    console.log(`kafka tests: fetching Kafka ${version} from Maven Central into ${kafkaHome} (once per machine)`);
  }

  // The lease is named by this process: vitest's main process lives as long as the test run.
  const holder = String(process.pid);
  try {
    await runKafkaScript(['acquire', holder], scriptEnv);
  } catch (err) {
    // The script's last line is in the error; what came before it (a broker log tail) is not.
    const before = ((err as { stderr?: string }).stderr ?? '').trim().split('\n').slice(0, -1).join('\n');
    if (before) console.error(before);
    throw new NoBrokerError(
      `scripts/kafka could not start Kafka ${version} on port ${scriptEnv.KAFKA_PORT} ` +
        `(another KAFKA_TEST_PORT may help): ${oneLine(err)}`,
    );
  }
  return {
    info: {
      brokers: [required(scriptInfo, 'KAFKA_BOOTSTRAP')],
      source: 'script',
      version,
      restartable: true,
      scriptEnv,
    },
    release: async () => {
      await runKafkaScript(['release', holder], scriptEnv);
    },
  };
}

/** Java to run the broker, and either the jars already cached or Maven to fetch them. */
function scriptCanRun(kafkaHome: string, env: NodeJS.ProcessEnv): boolean {
  const java = env.JAVA_HOME ? existsSync(join(env.JAVA_HOME, 'bin', 'java')) || onPath('java') : onPath('java');
  return java && (existsSync(join(kafkaHome, '.installed')) || onPath('mvn'));
}

function onPath(tool: string): boolean {
  try {
    execFileSync('bash', ['-c', 'command -v "$1"', '_', tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function parseSource(value: string | undefined): KafkaSource | undefined {
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if (value === 'env' || value === 'testcontainers' || value === 'script') return value;
  throw new NoBrokerError(`FAULTLINE_KAFKA_SOURCE=${value}: use auto, env, testcontainers or script`);
}

export function splitBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

function required(settings: Record<string, string>, key: string): string {
  const value = settings[key];
  if (!value) throw new Error(`kafka.sh env did not report ${key}`);
  return value;
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
