/**
 * How many matcher threads a worker runs by default: the cores this process may use. That is
 * os.availableParallelism() (the CPU affinity mask), lowered by a container's CPU limit, which
 * the scheduler enforces as a quota per period that availableParallelism() does not see:
 * cgroup v2 `cpu.max` ("<quota> <period>" or "max <period>"), cgroup v1 `cpu.cfs_quota_us` /
 * `cpu.cfs_period_us` (-1: no limit). A fractional limit rounds up: 1.5 CPUs keep two threads
 * busy half the time, which still beats one.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const V2_MAX = '/sys/fs/cgroup/cpu.max';
const V1_DIRS = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct'];

/** CPUs allowed by a cgroup v2 `cpu.max` line; undefined when unlimited or unreadable. */
export function cpusFromCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return cpusFromQuota(Number(quota), Number(period ?? 100_000));
}

/** CPUs allowed by a quota and period in µs (cgroup v1 uses -1 for no quota). */
export function cpusFromQuota(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  return Math.max(1, Math.ceil(quota / period));
}

type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The container's CPU limit, if any: cgroup v2 first, then v1. */
export function cgroupCpuLimit(read: ReadText = readText): number | undefined {
  const v2 = read(V2_MAX);
  if (v2 !== undefined) return cpusFromCpuMax(v2);
  for (const dir of V1_DIRS) {
    const quota = read(`${dir}/cpu.cfs_quota_us`);
    const period = read(`${dir}/cpu.cfs_period_us`);
    if (quota !== undefined && period !== undefined) return cpusFromQuota(Number(quota.trim()), Number(period.trim()));
  }
  return undefined;
}

/** The cores this process may use (at least 1). */
export function usableCores(read: ReadText = readText, parallelism: number = os.availableParallelism()): number {
  const limit = cgroupCpuLimit(read);
  return Math.max(1, limit === undefined ? parallelism : Math.min(parallelism, limit));
}
