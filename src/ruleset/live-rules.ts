import type { Logger } from '../log.js';
import type { MatcherBank } from '../match/types.js';
import type { PipelineObserver } from '../pipeline/observer.js';
import type { BankCacheOptions } from './bank-cache.js';
import { BankHolder } from './bank-holder.js';
import { loadBank, rulesVersion, RulesUnusableError, type LoadedBank } from './load-bank.js';
import { rulesFingerprint } from './rules-fingerprint.js';
import { logRulesLoaded, logStartProblems } from './rules-log.js';
import { RulesReloader } from './rules-reloader.js';
import { RulesWatcher } from './rules-watcher.js';

/**
 * The worker's rules over its lifetime: the first load, reloads on request (SIGHUP) and, when
 * the rules come from the configured directories, reloads when those change on disk.
 */

export interface LiveRulesOptions {
  dirs: readonly string[];
  strict: boolean;
  /** FAULTLINE_RULES_WATCH_MS; 0: no watching. */
  watchMs: number;
  /** The rule cache (FAULTLINE_CACHE_DIR), for the first load and every reload. */
  cache?: BankCacheOptions;
  logger: Logger;
  observer: PipelineObserver;
  /** A holder shared with the caller: its current bank is used and never closed here. */
  banks?: BankHolder;
  /** Rules from elsewhere (tests): loaded and reloaded through it, never watched. */
  loadBank?: () => Promise<MatcherBank>;
  /** Settle time of the watcher (tests); default: rules-watcher.ts. */
  watchSettleMs?: number;
  /**
   * Readies each loaded bank before it is used, first load and reloads alike (the matcher
   * pool builds it in every thread); a rejection refuses the load and keeps the old rules.
   */
  prepareBank?: (bank: MatcherBank) => Promise<MatcherBank>;
}

export interface LiveRules {
  readonly banks: BankHolder;
  /** Loads and swaps in the rules; false when refused or failed (old rules kept). */
  reload(trigger?: string): Promise<boolean>;
  /** Starts watching the rule directories, if on. */
  watch(): void;
  /** No more reloads, watched or requested. */
  stopReloading(): void;
  /** stopReloading, and closes the banks unless the caller gave the holder. */
  close(): void;
}

export async function openLiveRules(opts: LiveRulesOptions): Promise<LiveRules> {
  const { logger } = opts;
  const injected = opts.loadBank;
  const fromDirs = injected === undefined;
  const load: () => Promise<LoadedBank> = fromDirs
    ? () => loadBank({ dirs: opts.dirs, strict: opts.strict, ...(opts.cache === undefined ? {} : { cache: opts.cache }) }, opts.observer)
    : async () => {
        const bank = await injected();
        return { bank, version: rulesVersion(bank.rules), problems: [], files: 0, seconds: 0 };
      };
  const prepare = opts.prepareBank;
  const source: () => Promise<LoadedBank> =
    prepare === undefined ? load : async () => {
      const loaded = await load();
      return { ...loaded, bank: await prepare(loaded.bank) };
    };
  const watching = fromDirs && opts.watchMs > 0;
  // Taken before the first load: a change while it reads the files is then seen by the first check.
  const baseline = watching ? await rulesFingerprint(opts.dirs) : undefined;

  let banks = opts.banks;
  let version: string;
  if (banks !== undefined) version = rulesVersion(banks.current().rules);
  else {
    const first = await firstLoad(source, fromDirs, logger);
    banks = new BankHolder(first.bank);
    version = first.version;
  }
  const holder = banks;
  const reloader = new RulesReloader(source, holder, logger, version);
  const watcher = watching
    ? new RulesWatcher({ dirs: opts.dirs, intervalMs: opts.watchMs, settleMs: opts.watchSettleMs, reload: () => reloader.reload('rules changed'), logger })
    : undefined;
  const stopReloading = () => {
    watcher?.stop();
    reloader.stop();
  };
  return {
    banks: holder,
    reload: (trigger = 'request') => reloader.reload(trigger),
    watch: () => {
      if (watcher === undefined) return;
      void watcher.start(baseline);
      logger.info({ event: 'rules-watch', dirs: opts.dirs, intervalMs: opts.watchMs }, `watching the rules for changes every ${opts.watchMs} ms`);
    },
    stopReloading,
    close: () => {
      stopReloading();
      if (opts.banks === undefined) holder.close();
    },
  };
}

async function firstLoad(source: () => Promise<LoadedBank>, fromDirs: boolean, logger: Logger): Promise<LoadedBank> {
  try {
    const first = await source();
    if (fromDirs) {
      logStartProblems(logger, first.problems);
      logRulesLoaded(logger, first);
    }
    return first;
  } catch (err) {
    if (err instanceof RulesUnusableError) logStartProblems(logger, err.problems);
    throw err;
  }
}
