import { defineConfig } from 'vitest/config';

// Two projects: fast pure tests, and tests that need a real Kafka broker (found or started once
// by the global setup). Kafka tests run one file at a time: the machines have two cores.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.kafka.test.ts', 'node_modules/**'],
        },
      },
    ],
  },
});
