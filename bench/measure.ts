/** Timing helpers: rates over whole passes, best pass kept, bounded by a time budget. */

export interface Rate {
  /** Items per wall-clock second (best pass). */
  wall: number;
  /** Items per CPU second of this process (best pass): steadier on a busy machine. */
  cpu: number;
}

/** Runs `pass` (which handles `items` items) until `budgetMs` is spent (at least twice). */
export function bestRate(items: number, budgetMs: number, pass: () => void): Rate {
  let bestWall = Infinity;
  let bestCpu = Infinity;
  const started = performance.now();
  for (let n = 0; n < 2 || performance.now() - started < budgetMs; n++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    pass();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    bestWall = Math.min(bestWall, wall);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    if (n > 50) break;
  }
  return { wall: (items / bestWall) * 1000, cpu: (items / Math.max(bestCpu, 0.001)) * 1000 };
}

export function mb(bytes: number): number {
  return bytes / (1024 * 1024);
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtRatio(n: number): string {
  return n >= 100 ? `${Math.round(n).toLocaleString('en-US')}x` : `${n.toFixed(1)}x`;
}
