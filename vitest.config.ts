import { defineConfig } from 'vitest/config';

// Two projects: fast pure tests, and tests that need a real Kafka broker (found or started once
// by the global setup). Kafka tests run one file at a time: the machines have two cores.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.kafka.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'kafka',
          include: ['test/**/*.kafka.test.ts'],
          // KAFKA_BROKERS, else testcontainers if Docker answers, else scripts/kafka (19092).
          globalSetup: ['test/support/kafka-global-setup.ts'],
          // One broker, shared: files that restart it or count its groups must not overlap.
          fileParallelism: false,
          // A real broker: group joins take seconds, a crash-restart ~5 s, a cold JVM more.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
