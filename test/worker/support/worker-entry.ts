// The worker as a process, configured from the environment like `faultline worker`; tests spawn
// it with tsx when dist/ has no CLI wired to it. FAULTLINE_TEST_TUNING (JSON) sets WorkerTuning.
import { resolveConfig } from '../../../src/config/config.js';
import { workerMain, type WorkerTuning } from '../../../src/cli/worker.js';
import { createLogger } from '../../../src/log.js';

const config = resolveConfig('worker', {}, process.env);
const tuning = JSON.parse(process.env.FAULTLINE_TEST_TUNING ?? '{}') as Partial<WorkerTuning>;
await workerMain(config, { logger: createLogger(config.logLevel), tuning });
