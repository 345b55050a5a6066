import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import type { BankHolder } from './bank-holder.js';
import { RulesUnusableError, type LoadedBank } from './load-bank.js';
import { logReloaded, logReloadFailed } from './rules-log.js';

/**
 * Live rule reload: loads a new bank next to the running one and swaps it in between batches
 * (BankHolder closes the old one once no batch uses it). A refused or failed load leaves the
 * running bank alone.
 *
 * Triggers (the rules watcher, SIGHUP) may come at any time. At most one load runs; triggers
 * during it share a single follow-up load, started after the running one ends, so a change made
 * while a load was already reading the files is never lost, and nothing queues up without bound.
 */
export class RulesReloader {
  private version: string;
  private running: Promise<boolean> | undefined;
  private queued: Promise<boolean> | undefined;
  private stopped = false;

  constructor(
    private readonly load: () => Promise<LoadedBank>,
    private readonly banks: BankHolder,
    private readonly logger: Logger,
    initialVersion: string,
  ) {
    this.version = initialVersion;
  }

  /** The version of the active rules. */
  get activeVersion(): string {
    return this.version;
  }

  /** True once the rules were swapped; false when the load was refused (old rules kept) or stopped. */
  reload(trigger: string): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (this.running === undefined) {
      this.running = this.once(trigger).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.reload(trigger);
    });
    return this.queued;
  }

  /** No reload starts from now on; one in flight drops its bank instead of swapping it in. */
  stop(): void {
    this.stopped = true;
  }

  private async once(trigger: string): Promise<boolean> {
    const started = performance.now();
    const previousVersion = this.version;
    this.logger.debug({ event: 'reload', trigger }, 'reloading rules');
    try {
      const loaded = await this.load();
      if (this.stopped) {
        loaded.bank.close();
        return false;
      }
      try {
        this.banks.swap(loaded.bank);
      } catch (err) {
        loaded.bank.close();
        throw err;
      }
      this.version = loaded.version;
      logReloaded(this.logger, loaded, { trigger, previousVersion, ms: performance.now() - started });
      return true;
    } catch (err) {
      const problems = err instanceof RulesUnusableError ? err.problems : [];
      logReloadFailed(this.logger, (err as Error).message, problems, { trigger, previousVersion, ms: performance.now() - started });
      return false;
    }
  }
}
