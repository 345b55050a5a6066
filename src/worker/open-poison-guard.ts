import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { defaultStateDir, InFlightStore } from './inflight-store.js';
import { PoisonGuard } from './poison-guard.js';

/**
 * The worker's poison-pill guard from its settings (undefined when FAULTLINE_POISON_CRASHES is
 * 0), with one log line per range the previous process died with. A state directory that cannot
 * be written is a start-up failure with one clear line, like any other bad setting.
 */
export function openPoisonGuard(config: Pick<Config, 'poisonCrashes' | 'stateDir' | 'groupId' | 'clientId'>, logger: Logger): PoisonGuard | undefined {
  if (!(config.poisonCrashes > 0)) return undefined;
  const dir = config.stateDir ?? defaultStateDir();
  let store: InFlightStore;
  try {
    store = new InFlightStore(dir, config.groupId, config.clientId);
    store.probe();
  } catch (err) {
    throw new Error(`cannot write the state directory ${dir} (FAULTLINE_STATE_DIR): ${(err as Error).message}`);
  }
  const guard = new PoisonGuard(store, {
    limit: config.poisonCrashes,
    onError: (error) =>
      logger.warn({ event: 'inflight-marker-failed', path: store.path, error: error.message }, `cannot write the in-flight marker (${error.message}): the poison-pill guard is blind until it can`),
  });
  for (const m of guard.inherited) {
    const what = m.record === undefined ? `offsets ${m.first}..${m.last}` : `offset ${m.record}`;
    logger.warn(
      { event: 'died-in-flight', topic: m.topic, partition: m.partition, first: m.first, last: m.last, record: m.record, crashes: m.crashes, limit: config.poisonCrashes },
      `the worker died ${m.crashes} time(s) in a row with ${m.topic}[${m.partition}] ${what} in hand: that range is worked on record by record, ` +
        `and a record in hand for ${config.poisonCrashes} deaths is dead-lettered as crashed-worker`,
    );
  }
  return guard;
}
