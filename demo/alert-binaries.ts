import { spawnSync } from 'node:child_process';

/**
 * Prometheus and Alertmanager on this machine, if any. Debian's prometheus-alertmanager package
 * names the server `prometheus-alertmanager`; upstream tarballs and other distributions
 * `alertmanager`. Both come from scripts/ci/install-system-deps.sh.
 */
export interface AlertBinaries {
  prometheus: string;
  alertmanager: string;
}

function runs(command: string): boolean {
  const r = spawnSync(command, ['--version'], { stdio: 'ignore', timeout: 20_000 });
  return r.error === undefined && r.status === 0;
}

export function findAlertBinaries(): AlertBinaries | undefined {
  const prometheus = runs('prometheus') ? 'prometheus' : undefined;
  const alertmanager = ['prometheus-alertmanager', 'alertmanager'].find(runs);
  return prometheus !== undefined && alertmanager !== undefined ? { prometheus, alertmanager } : undefined;
}

/** The one line the demo prints when they are missing. */
export const HOW_TO_GET_ALERTING =
  'alerts: Prometheus and Alertmanager are not installed, so no alert state is shown (Debian/Ubuntu: sudo apt-get install prometheus prometheus-alertmanager, or bash scripts/ci/install-system-deps.sh)';
