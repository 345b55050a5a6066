/**
 * Notices that the rule directories changed and asks for a reload. The source of truth is a
 * periodic fingerprint (rules-fingerprint.ts): fs.watch does not follow a ConfigMap's `..data`
 * symlink swap reliably, and can fail outright (inotify limits) or stay silent (a network file
 * system changed from another host). fs.watch is only a fast trigger for a fingerprint check.
 *
 * Every directory the fingerprint depends on is watched (one non-recursive fs.watch each: Node
 * 20's recursive mode on Linux is a JavaScript walk of its own, and a ConfigMap's real files
 * live in a dot directory the walk skips). While all of them are watched and every root is a
 * plain directory, a change is seen through an event within `settleMs`, and the poll is a slow
 * fallback (`watchedIntervalMs`, default max(intervalMs, 60 s)): the deadends KB's 2,045
 * directories walked every 10 s were ~0.5 % of a core on an idle worker. When one cannot be
 * watched (a watch failed, too many directories, a root that is a file or a symlink, or a
 * custom fingerprint that names no directories), polling stays at `intervalMs`.
 *
 * A change is acted on once the tree has settled (two equal fingerprints `settleMs` apart), so
 * a burst of edits or a copy in progress gives one reload of the final state, not one per file.
 * Checks never overlap and each awaits its reload: triggers during a check fold into a single
 * follow-up check. The fingerprint is taken before the reload reads the files, so a change made
 * while a reload runs shows as a difference at the next check. A refused update is not retried
 * until the files change again.
 */
import { lstatSync, watch, type FSWatcher } from 'node:fs';
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
  /** fs.watch on every directory of the rules as a fast trigger (default true). */
  fastTrigger?: boolean;
  /** Poll period while every directory is watched; default max(intervalMs, WATCHED_POLL_MS). */
  watchedIntervalMs?: number;
  /** A fingerprint of its own (tests): then only the configured paths are watched. */
  fingerprint?: (dirs: readonly string[]) => Promise<string>;
}

/** The slow fallback poll while fs.watch covers every directory. */
export const WATCHED_POLL_MS = 60_000;
/** More directories than this are not watched one by one (inotify watches are a per-user limit). */
export const MAX_WATCHED_DIRS = 8192;

/** A tree still changing after this many settle periods is reloaded as it is then. */
const MAX_SETTLE_ROUNDS = 10;
/** Follow-up checks run back to back for triggers that came during a check; more wait for a poll. */
const MAX_FOLLOW_UPS = 3;

export class RulesWatcher {
  private readonly settleMs: number;
  private readonly watchedIntervalMs: number;
  private readonly fingerprint: (dirs: readonly string[]) => Promise<string>;
  /** Whether the fingerprint reports its directories (the default one does). */
  private readonly reportsDirs: boolean;
  private known: string | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private triggerTimer: NodeJS.Timeout | undefined;
  private checking: Promise<boolean> | undefined;
  private again = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Watchers by the real directory (or configured path) they watch, with its inode then. */
  private readonly fsWatchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  /** The directories the last fingerprint depended on, and their inodes (default fingerprint only). */
  private lastDirs: Map<string, number> | undefined;

  constructor(private readonly opts: RulesWatcherOptions) {
    if (!(opts.intervalMs > 0)) throw new Error('the rules watch interval must be positive');
    this.settleMs = opts.settleMs ?? Math.min(1000, opts.intervalMs);
    this.watchedIntervalMs = opts.watchedIntervalMs ?? Math.max(opts.intervalMs, WATCHED_POLL_MS);
    // Listings kept between polls: an unchanged directory is stat'ed, not read again.
    const listings: DirectoryListings = new Map();
    this.reportsDirs = opts.fingerprint === undefined;
    this.fingerprint =
      opts.fingerprint ??
      (async (dirs) => {
        const seen = new Map<string, number>();
        const print = await rulesFingerprint(dirs, undefined, listings, seen);
        this.lastDirs = seen;
        return print;
      });
  }

  /**
   * Starts polling. `baseline`: the fingerprint taken just before the rules in use were loaded,
   * so that a change during that load is not mistaken for the state already running.
   */
  async start(baseline?: string): Promise<void> {
    // Taken even with a baseline: it names the directories to watch.
    const now = await this.look();
    this.known = baseline ?? now;
    if (this.stopped) return;
    // Changed between the baseline and the watchers: not left to the first (maybe slow) poll.
    if (now !== this.known) this.poke();
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
    for (const w of this.fsWatchers.values()) w.watcher.close();
    this.fsWatchers.clear();
  }

  /** How often the poll runs now: slowly while fs.watch covers everything (see the top). */
  get pollMs(): number {
    return this.covered() ? this.watchedIntervalMs : this.opts.intervalMs;
  }

  /** Directories watched now (for tests and logs). */
  get watchedDirs(): number {
    return this.fsWatchers.size;
  }

  private fastTriggers(): boolean {
    return this.opts.fastTrigger ?? true;
  }

  /** A fingerprint, then the watchers brought in line with the directories it depended on. */
  private async look(): Promise<string> {
    const print = await this.fingerprint(this.opts.dirs);
    if (!this.stopped && this.fastTriggers()) this.syncWatchers();
    return print;
  }

  /**
   * Watches every directory of the last fingerprint (the configured paths, for a custom one)
   * and stops watching those it no longer names. Directories watched anew after start are
   * checked once soon after, so that a change made between the fingerprint and the watch is not
   * left to the slow poll.
   */
  private syncWatchers(): void {
    const wanted = this.reportsDirs ? this.lastDirs : new Map(this.opts.dirs.map((d) => [d, 0]));
    if (wanted === undefined) return;
    if (this.reportsDirs && wanted.size > MAX_WATCHED_DIRS) {
      // Too many to watch one by one: the configured paths only, and the poll at intervalMs.
      this.lastDirs = undefined;
      return this.syncTo(new Map(this.opts.dirs.map((d) => [d, 0])));
    }
    this.syncTo(wanted);
  }

  private syncTo(wanted: ReadonlyMap<string, number>): void {
    for (const [dir, w] of this.fsWatchers) {
      if (wanted.get(dir) === w.ino) continue;
      w.watcher.close();
      this.fsWatchers.delete(dir);
    }
    let added = false;
    for (const [dir, ino] of wanted) {
      if (this.fsWatchers.has(dir)) continue;
      added = this.watchOne(dir, ino) || added;
    }
    if (added && this.known !== undefined) this.poke();
  }

  /** True while every directory the fingerprint depends on has a working watcher. */
  private covered(): boolean {
    if (!this.reportsDirs || !this.fastTriggers() || this.lastDirs === undefined) return false;
    for (const dir of this.lastDirs.keys()) if (!this.fsWatchers.has(dir)) return false;
    // A root that is a file or a symlink can be replaced by an event in a directory not watched.
    for (const root of this.opts.dirs) {
      try {
        const info = lstatSync(root);
        if (!info.isDirectory()) return false;
      } catch {
        return false;
      }
    }
    return true;
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
    let seen = await this.look();
    if (seen === this.known) return false;
    for (let round = 0; round < MAX_SETTLE_ROUNDS && !this.stopped; round++) {
      await this.sleep(this.settleMs);
      if (this.stopped) return false;
      const now = await this.look();
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
    }, this.pollMs);
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

  /** Watches one directory; false when it cannot be watched (then polling covers it). */
  private watchOne(dir: string, ino: number): boolean {
    try {
      const w = watch(dir, { persistent: false }, () => this.poke());
      // Polling carries on without it (a deleted directory, inotify limits); the next
      // fingerprint tries again if the directory is still there.
      w.on('error', (err) => {
        this.opts.logger.debug({ event: 'rules-watch-error', dir, error: err.message }, 'fs.watch failed: polling');
        w.close();
        if (this.fsWatchers.get(dir)?.watcher === w) this.fsWatchers.delete(dir);
        this.poke();
      });
      this.fsWatchers.set(dir, { watcher: w, ino });
      return true;
    } catch (err) {
      this.opts.logger.debug({ event: 'rules-watch-error', dir, error: (err as Error).message }, 'fs.watch unavailable: polling');
      return false;
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
