// The worker as a process, configured from the environment like `faultline worker` (and
// FAULTLINE_TUNING); tests spawn it with tsx when dist/ has no CLI wired to it.
import { resolveConfig } from '../../../src/config/config.js';
import { workerMain } from '../../../src/cli/worker.js';
import { createLogger } from '../../../src/log.js';

const config = resolveConfig('worker', {}, process.env);
await workerMain(config, { logger: createLogger(config.logLevel) });
