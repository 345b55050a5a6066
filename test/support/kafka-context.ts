// The broker the kafka test project runs against, as handed from the global setup to tests
// (vitest provide/inject). Kept in its own module so both sides agree on one shape.
import type { ScriptBrokerEnv } from './kafka-script.js';

export type KafkaSource = 'env' | 'testcontainers' | 'script';

export interface KafkaBrokerInfo {
  /** Bootstrap addresses, "host:port". */
  brokers: string[];
  source: KafkaSource;
  /** Exact Kafka release the setup chose ("4.3.1"); for KAFKA_BROKERS only if KAFKA_VERSION names one. */
  version: string | null;
  /** Tests may stop, kill, start and restart it: only a broker run by scripts/kafka. */
  restartable: boolean;
  /** Selects this broker for scripts/kafka/kafka.sh; null unless source is "script". */
  scriptEnv: ScriptBrokerEnv | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: KafkaBrokerInfo;
  }
}
