import { spawnSync } from 'node:child_process';

/**
 * promtool (Debian package `prometheus`, installed by scripts/ci/install-system-deps.sh) checks
 * metrics and alerting rules. Locally a missing promtool skips those tests with a message; under
 * CI=true it fails them, so a CI machine without it can never pass silently.
 */

export const promtoolPath: string | undefined = (() => {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0 ? 'promtool' : undefined;
})();

export const inCI = process.env.CI === 'true';

/** True when promtool tests should be skipped (only outside CI). */
export const skipWithoutPromtool = promtoolPath === undefined && !inCI;

if (skipWithoutPromtool) {
  console.warn('promtool not found: skipping promtool checks (apt-get install prometheus, or scripts/ci/install-system-deps.sh)');
}

export interface PromtoolResult {
  status: number | null;
  output: string;
}

export function promtool(args: string[], input?: string, cwd?: string): PromtoolResult {
  if (promtoolPath === undefined) {
    throw new Error('promtool is not on PATH but CI=true: install the prometheus package (scripts/ci/install-system-deps.sh)');
  }
  const r = spawnSync(promtoolPath, args, {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
