import { spawnSync } from 'node:child_process';
import { inCI } from './promtool.js';

/**
 * amtool (Debian package prometheus-alertmanager, installed by scripts/ci/install-system-deps.sh)
 * checks the shipped Alertmanager configuration. Missing: skipped locally, failed under CI=true.
 */
export const amtoolInstalled = (() => {
  const r = spawnSync('amtool', ['--version'], { stdio: 'ignore', timeout: 20_000 });
  return r.error === undefined && r.status === 0;
})();

export const skipWithoutAmtool = !amtoolInstalled && !inCI;
if (skipWithoutAmtool) console.warn('amtool not found: skipping Alertmanager config checks (apt-get install prometheus-alertmanager)');

export function amtool(args: string[]): { status: number | null; output: string } {
  if (!amtoolInstalled) throw new Error('amtool is not on PATH but CI=true: install prometheus-alertmanager (scripts/ci/install-system-deps.sh)');
  const r = spawnSync('amtool', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
