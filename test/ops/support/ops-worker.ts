// A worker inside the test process with its own metrics server, on fresh topics: what the
// real-Prometheus tests scrape.
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../../src/config/config.js';
import { runWorker, type WorkerHandle } from '../../../src/cli/worker.js';
import { startOps, type Ops } from '../../../src/http/ops.js';
import { createLogger } from '../../../src/log.js';
import { brokerList, createTopic } from '../../support/kafka.js';

const RULES = fileURLToPath(new URL('../../../rules', import.meta.url));

export interface OpsWorker {
  input: string;
  ops: Ops;
  worker: WorkerHandle;
}

/** Input (2 partitions), output and DLQ topics named after `prefix`; resolves once the group is joined. */
export async function startOpsWorker(prefix: string): Promise<OpsWorker> {
  const input = await createTopic({ prefix: `${prefix}-logs`, partitions: 2 });
  const output = await createTopic({ prefix: `${prefix}-out`, partitions: 1 });
  const dlq = await createTopic({ prefix: `${prefix}-dlq`, partitions: 1 });
  const ops = await startOps({ host: '127.0.0.1', port: 0, serviceLabelLimit: 50, brokerDownGraceMs: 30_000, maxLoopLagMs: 60_000, topics: [input] });
  const config = resolveConfig('worker', {
    brokers: brokerList().join(','),
    inputTopics: input,
    outputTopic: output,
    dlqTopic: dlq,
    groupId: `${input}-group`,
    fromBeginning: true,
    rules: RULES,
    metricsHost: '127.0.0.1',
    metricsPort: ops.server.port,
  });
  const worker = await runWorker(config, {
    logger: createLogger('silent'),
    observer: ops.observer,
    tuning: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000, topicRefreshMs: 60_000 },
  });
  await worker.started;
  return { input, ops, worker };
}
