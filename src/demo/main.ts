#!/usr/bin/env node
/**
 * The demo log producer: realistic application logs from a made-up shop, with incidents of real
 * error signatures (rules' examples), written to Kafka for a faultline worker to find.
 * `node dist/demo/main.js --help`; docker-compose.yml runs it next to the worker.
 */
import { ConfigError } from '../config/config.js';
import { loadRules } from '../kb/load.js';
import { createKafka } from '../kafka/client.js';
import { createLogger } from '../log.js';
import { kafkaLogToPino, kafkaVerbosity } from '../worker/kafka-log.js';
import { signalCatalog } from './catalog.js';
import { DEMO_USAGE, parseDemoOptions, type DemoOptions } from './options.js';
import { runDemoProducer } from './producer.js';
import { DemoSchedule } from './schedule.js';
import { DEMO_SERVICES } from './services.js';

if (process.argv.includes('--help')) {
  console.log(DEMO_USAGE);
  process.exit(0);
}

let options: DemoOptions;
try {
  options = parseDemoOptions(process.argv.slice(2), process.env);
} catch (err) {
  const known = err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(known ? `faultline demo: ${(err as Error).message}\n\n${DEMO_USAGE}` : err);
  process.exit(2);
}

const logger = createLogger(options.config.logLevel, 'faultline-demo');
const { rules } = await loadRules(options.config.rules);
const catalog = signalCatalog(rules, DEMO_SERVICES);
if (catalog.size === 0) {
  logger.fatal({ event: 'demo-no-examples', rules: options.config.rules }, 'no rule with a signal and examples: nothing to demo');
  process.exit(1);
}

const abort = new AbortController();
const stop = (why: string) => {
  if (!abort.signal.aborted) logger.info({ event: 'demo-stopping', why }, `stopping (${why})`);
  abort.abort();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (options.durationS !== undefined) setTimeout(() => stop('duration reached'), options.durationS * 1000).unref();

logger.info(
  { event: 'demo-config', topic: options.topic, rate: options.schedule.rate, seed: options.schedule.seed, signals: [...catalog.keys()] },
  'demo producer starting',
);
const kafka = createKafka(options.config, kafkaLogToPino(logger), kafkaVerbosity(logger));
try {
  await runDemoProducer({
    kafka,
    topic: options.topic,
    partitions: options.partitions,
    schedule: new DemoSchedule(catalog, DEMO_SERVICES, options.schedule, Date.now()),
    logger,
    signal: abort.signal,
  });
} catch (err) {
  logger.fatal({ event: 'demo-failed', error: (err as Error).message }, `demo producer failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
logger.flush();
