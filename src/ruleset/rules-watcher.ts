/**
 * Notices that the rule directories changed and asks for a reload. The source of truth is a
 * periodic fingerprint (rules-fingerprint.ts): fs.watch does not follow a ConfigMap's `..data`
 * symlink swap reliably, misses changes in subdirectories, and can fail outright (inotify
 * limits). fs.watch on the configured directories is only a fast trigger for a fingerprint
 * check; without it a change is seen within one poll period.
 *
 * A change is acted on once the tree has settled (two equal fingerprints `settleMs` apart), so
 * a burst of edits or a copy in progress gives one reload of the final state, not one per file.
 * Checks never overlap and each awaits its reload: triggers during a check fold into a single
 * follow-up check. The fingerprint is taken before the reload reads the files, so a change made
 * while a reload runs shows as a difference at the next check. A refused update is not retried
 * until the files change again.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../log.js';
import { rulesFingerprint, type DirectoryListings } from './rules-fingerprint.js';

export interface RulesWatcherOptions {
  dirs: readonly string[];
  /** Fingerprint poll period (FAULTLINE_RULES_WATCH_MS); > 0. */
  intervalMs: number;
  /** How long the tree must stay unchanged before a reload; default min(1 s, intervalMs). */
  settleMs?: number;
  /** Loads and swaps the rules; resolves once done (its result is the reloader's business). */
  reload: () => Promise<unknown>;
  logger: Logger;
  /** fs.watch on the configured directories as a fast trigger (default true). */
  fastTrigger?: boolean;
  fingerprint?: (dirs: readonly string[]) => Promise<string>;
}

/** A tree still changing after this many settle periods is reloaded as it is then. */
const MAX_SETTLE_ROUNDS = 10;
/** Follow-up checks run back to back for triggers that came during a check; more wait for a poll. */
const MAX_FOLLOW_UPS = 3;

export class RulesWatcher {
  private readonly settleMs: number;
  private readonly fingerprint: (dirs: readonly string[]) => Promise<string>;
  private known: string | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private triggerTimer: NodeJS.Timeout | undefined;
  private checking: Promise<boolean> | undefined;
  private again = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly fsWatchers: FSWatcher[] = [];

  constructor(private readonly opts: RulesWatcherOptions) {
    if (!(opts.intervalMs > 0)) throw new Error('the rules watch interval must be positive');
    this.settleMs = opts.settleMs ?? Math.min(1000, opts.intervalMs);
    // Listings kept between polls: an unchanged directory is stat'ed, not read again.
    const listings: DirectoryListings = new Map();
    this.fingerprint = opts.fingerprint ?? ((dirs) => rulesFingerprint(dirs, undefined, listings));
  }

  /**
   * Starts polling. `baseline`: the fingerprint taken just before the rules in use were loaded,
   * so that a change during that load is not mistaken for the state already running.
   */
  async start(baseline?: string): Promise<void> {
    this.known = baseline ?? (await this.fingerprint(this.opts.dirs));
    if (this.stopped) return;
    if (this.opts.fastTrigger ?? true) this.watchDirs();
    this.schedulePoll();
  }

  /** Looks now. Resolves once any reload it started is done: true if it started one. */
  check(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (this.checking !== undefined) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.checkLoop().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** Stops polling and watching; a reload already running finishes on its own. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.triggerTimer);
    this.wake?.();
    for (const w of this.fsWatchers.splice(0)) w.close();
  }

  private async checkLoop(): Promise<boolean> {
    let reloaded = false;
    for (let round = 0; round <= MAX_FOLLOW_UPS && !this.stopped; round++) {
      this.again = false;
      if (await this.settledChange()) {
        reloaded = true;
        try {
          await this.opts.reload();
        } catch (err) {
          this.opts.logger.warn({ event: 'rules-watch-error', error: (err as Error).message }, 'rules reload after a change failed');
        }
      }
      if (!this.again) break;
    }
    return reloaded;
  }

  /** True when the tree differs from the last state acted on and has stopped changing. */
  private async settledChange(): Promise<boolean> {
    let seen = await this.fingerprint(this.opts.dirs);
    if (seen === this.known) return false;
    for (let round = 0; round < MAX_SETTLE_ROUNDS && !this.stopped; round++) {
      await this.sleep(this.settleMs);
      if (this.stopped) return false;
      const now = await this.fingerprint(this.opts.dirs);
      if (now === seen) break;
      seen = now;
    }
    if (this.stopped) return false;
    this.known = seen;
    this.opts.logger.debug({ event: 'rules-changed', dirs: this.opts.dirs }, 'rule files changed: reloading');
    return true;
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      void this.check().finally(() => this.schedulePoll());
    }, this.opts.intervalMs);
    this.pollTimer.unref();
  }

  /** A file-system event: check soon (once per settle period however many events come). */
  private poke(): void {
    if (this.stopped || this.triggerTimer !== undefined) return;
    this.triggerTimer = setTimeout(() => {
      this.triggerTimer = undefined;
      void this.check();
    }, this.settleMs);
    this.triggerTimer.unref();
  }

  private watchDirs(): void {
    for (const dir of this.opts.dirs) {
      try {
        const w = watch(dir, { persistent: false }, () => this.poke());
        // Polling carries on without it (a deleted directory, inotify limits).
        w.on('error', (err) => {
          this.opts.logger.debug({ event: 'rules-watch-error', dir, error: err.message }, 'fs.watch failed: polling only');
          w.close();
        });
        this.fsWatchers.push(w);
      } catch (err) {
        this.opts.logger.debug({ event: 'rules-watch-error', dir, error: (err as Error).message }, 'fs.watch unavailable: polling only');
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
