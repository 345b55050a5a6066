// kubectl renders the kustomizations (`kubectl kustomize`, no cluster needed). Locally a missing
// kubectl skips those tests with a message; under CI=true it fails them, so a CI machine without
// it can never pass silently. KUBECTL=/path/to/kubectl picks another binary (e.g. an old one, to
// check that the kustomizations still render with kustomize v2).
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

const candidate = process.env.KUBECTL ?? 'kubectl';

export const kubectlPath: string | undefined = (() => {
  const r = spawnSync(candidate, ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
  return r.error === undefined && r.status === 0 ? candidate : undefined;
})();

export const inCI = process.env.CI === 'true';

/** True when kubectl tests should be skipped (only outside CI). */
export const skipWithoutKubectl = kubectlPath === undefined && !inCI;

if (skipWithoutKubectl) {
  console.warn(`${candidate} not found: skipping the kustomize render tests (install kubectl; see docs/deployment.md)`);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize <dir>` as parsed objects; throws with kubectl's message on failure. */
export function kustomize(dir: string): K8sObject[] {
  if (kubectlPath === undefined) {
    throw new Error('kubectl is not on PATH but CI=true: install it (Debian: apt-get install kubernetes-client)');
  }
  const r = spawnSync(kubectlPath, ['kustomize', dir], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`kubectl kustomize ${dir}: bad YAML: ${doc.errors[0]?.message}`);
    return doc.toJS() as K8sObject;
  });
}
