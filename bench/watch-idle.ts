/**
 * npm run bench:watch-idle — the rules watcher alone on the deadends KB (rules/ when ../shared is
 * absent; BENCH_RULES picks another directory), nothing changing: its CPU over BENCH_SECONDS
 * (120) as % of one core, with FAULTLINE_RULES_WATCH_MS's default of 10 s. The worker's idle
 * CPU (bench:idle) is this plus kafkajs, GC and timers; this isolates the watcher's part.
 * BENCH_DIST=<dir> runs another build's watcher (e.g. an older commit's dist) for a comparison
 * in the same minute.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEADENDS_DIR } from './rules-source.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RULES = process.env.BENCH_RULES ?? (existsSync(DEADENDS_DIR) ? DEADENDS_DIR : path.join(ROOT, 'rules'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const from = process.env.BENCH_DIST === undefined ? '../src/ruleset/rules-watcher.js' : pathToFileURL(path.join(process.env.BENCH_DIST, 'ruleset/rules-watcher.js')).href;

interface Watcher {
  start(): Promise<void>;
  stop(): void;
  watchedDirs?: number;
  pollMs?: number;
}
const { RulesWatcher } = (await import(from)) as { RulesWatcher: new (opts: object) => Watcher };
const quiet = (): void => undefined;
const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
let reloads = 0;
const watcher = new RulesWatcher({ dirs: [RULES], intervalMs: 10_000, logger, reload: async () => void (reloads += 1) });
await watcher.start();
// The watcher's timers are unref'ed: this keeps the process up for the measurement.
const alive = setInterval(quiet, 1000);
const cpu0 = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
const cpu = process.cpuUsage(cpu0);
const watched = { dirs: watcher.watchedDirs, pollMs: watcher.pollMs };
watcher.stop();
clearInterval(alive);
const share = ((cpu.user + cpu.system) / 1000 / (SECONDS * 1000)) * 100;
console.log(
  `bench:watch-idle — ${RULES}: ${share.toFixed(3)} % of a core over ${SECONDS} s; reloads ${reloads}; ` +
    `watched directories ${watched.dirs ?? 'n/a'}; poll every ${watched.pollMs ?? 10_000} ms`,
);
