import type { Config } from '../config/config.js';
import { startOps } from '../http/ops.js';
import { parseTopicSpec, TopicSpecError } from '../kafka/topic-spec.js';
import { createLogger } from '../log.js';
import { coreProcessorFor } from '../worker/core-processor.js';
import { workerMain } from './worker.js';

/**
 * `faultline worker` as the CLI runs it: the metrics/health server first (a taken port is a
 * start-up failure), then the worker, which owns signals and the exit code from there on.
 */
export async function runWorkerCommand(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  let topics: string[];
  try {
    topics = parseTopicSpec(config.inputTopics).names;
  } catch (err) {
    if (!(err instanceof TopicSpecError)) throw err;
    for (const p of err.problems) process.stderr.write(`faultline: bad configuration: ${p}\n`);
    process.exit(2);
  }
  logger.info(
    { event: 'config', config: { ...config, saslPassword: config.saslPassword === undefined ? undefined : '<hidden>' } },
    'faultline worker configuration',
  );
  let ops: Awaited<ReturnType<typeof startOps>>;
  try {
    ops = await startOps({
      host: config.metricsHost,
      port: config.metricsPort,
      serviceLabelLimit: config.serviceLabelLimit,
      brokerDownGraceMs: config.readyBrokerDownMs,
      stallMs: config.readyStallMs,
      // FAULTLINE_TUNING wins over the setting (as in runWorker).
      sessionTimeoutMs: config.tuning?.sessionTimeoutMs ?? config.sessionTimeoutMs,
      maxLoopLagMs: config.healthMaxLoopLagMs,
      topics,
      ...(config.unknownTemplates ? { unknownTemplatesMax: config.unknownTemplatesMax } : {}),
      onError: (e) => logger.warn({ event: 'metrics-error', error: String(e) }, 'metrics endpoint error'),
    });
  } catch (err) {
    logger.fatal({ event: 'start-failed', error: (err as Error).message }, `cannot serve metrics on ${config.metricsHost}:${config.metricsPort}: ${(err as Error).message}`);
    logger.flush(() => process.exit(1));
    return;
  }
  logger.info({ event: 'metrics-listening', url: ops.server.url }, 'metrics and health endpoints up');
  await workerMain(config, {
    logger,
    observer: ops.observer,
    processorFor: coreProcessorFor(config, ops.unknownErrors),
    onStopped: () => ops.close(),
  });
}
