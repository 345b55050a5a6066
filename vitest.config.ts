import { defineConfig } from 'vitest/config';

// Three projects: fast pure tests, tests that need a real Kafka broker (found or started once
// by the global setup; one file at a time: the machines have two cores), and the paging chain.
const PAGING = 'test/ops/paging.kafka.test.ts';

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
          // A timeout is a hang detector, not a speed check: property runs and big-KB loads take
          // 7-10 s on a 2-core box loaded by the kafka project beside them (CI saw 7.5 s), so
          // vitest's 5 s default failed tests that were only slow.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'kafka',
          include: ['test/**/*.kafka.test.ts'],
          // Its own project: `npm test` runs it beside the others, on a broker of its own.
          exclude: [PAGING, 'node_modules/**'],
          // KAFKA_BROKERS, else testcontainers if Docker answers, else scripts/kafka (19092).
          globalSetup: ['test/support/kafka-global-setup.ts'],
          // One broker, shared: files that restart it or count its groups must not overlap.
          fileParallelism: false,
          // A real broker: group joins take seconds, a crash-restart ~5 s, a cold JVM more.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The paging chain waits out the shipped alerts' `for:` durations in real time (about
          // 16 minutes, nearly all of it idle), so scripts/test/run.sh runs it in parallel with
          // the other projects instead of after them.
          name: 'paging',
          include: [PAGING],
          globalSetup: ['test/support/kafka-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
