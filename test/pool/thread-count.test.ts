import { describe, expect, it } from 'vitest';
import { cgroupCpuLimit, cpusFromCpuMax, cpusFromQuota, usableCores } from '../../src/pool/thread-count.js';

const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('usable cores', () => {
  it('reads cgroup v2 cpu.max, rounding a fractional limit up', () => {
    expect(cpusFromCpuMax('max 100000\n')).toBeUndefined();
    expect(cpusFromCpuMax('200000 100000\n')).toBe(2);
    expect(cpusFromCpuMax('150000 100000')).toBe(2);
    expect(cpusFromCpuMax('50000 100000')).toBe(1);
    expect(cpusFromCpuMax('garbage')).toBeUndefined();
  });

  it('reads cgroup v1 quota and period, -1 meaning no limit', () => {
    expect(cpusFromQuota(-1, 100_000)).toBeUndefined();
    expect(cpusFromQuota(300_000, 100_000)).toBe(3);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '400000\n', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n' }))).toBe(4);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBeUndefined();
  });

  it('takes the smaller of the affinity and the container limit', () => {
    expect(usableCores(files({ '/sys/fs/cgroup/cpu.max': '200000 100000' }), 8)).toBe(2);
    expect(usableCores(files({ '/sys/fs/cgroup/cpu.max': '800000 100000' }), 2)).toBe(2);
    expect(usableCores(files({ '/sys/fs/cgroup/cpu.max': 'max 100000' }), 6)).toBe(6);
    expect(usableCores(files({}), 3)).toBe(3);
    expect(usableCores(files({}), 0)).toBe(1);
  });
});
