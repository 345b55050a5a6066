#!/usr/bin/env node
// The smallest possible entry: the start-up stop handler first, then the CLI, whose imports are
// slow (./early-stop.ts says why that order matters).
import { installEarlyStop } from './early-stop.js';

// Only the worker: scan, rules … keep the default action (a SIGTERM ends them at once).
if (process.argv[2] === 'worker') installEarlyStop();
await import('./program.js');
