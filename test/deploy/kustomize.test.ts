// The Kubernetes manifests as `kubectl kustomize` renders them (base and example overlay): every
// object validates against its schema, and the references between objects, and between the
// manifests and the code (settings, ports, probe paths, image user), hold.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IConfigMap, IContainer, IEnvVar, IPodSpec, IService } from 'kubernetes-models/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import type { IPodMonitor, IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveConfig } from '../../src/config/config.js';
import { OPTIONS } from '../../src/config/options.js';
import { parseTopicSpec } from '../../src/kafka/topic-spec.js';
import { loadRules } from '../../src/kb/load.js';
import { kustomize, skipWithoutKubectl, type K8sObject } from './support/kubectl.js';
import { validateObject } from './support/models.js';
import { RULES_SHARDS, rulesShardName } from '../../scripts/k8s/generated-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

const KUSTOMIZATIONS = [
  { dir: 'k8s/base', namespace: undefined },
  { dir: 'k8s/overlays/example', namespace: 'faultline' },
] as const;

type Obj<T> = Omit<T, 'apiVersion' | 'kind' | 'metadata'> & K8sObject;

function all<T>(objects: K8sObject[], kind: string): Obj<T>[] {
  return objects.filter((o) => o.kind === kind) as Obj<T>[];
}

function one<T>(objects: K8sObject[], kind: string): Obj<T> {
  const found = all<T>(objects, kind);
  expect(found.map((o) => o.metadata.name), `exactly one ${kind}`).toHaveLength(1);
  return found[0] as Obj<T>;
}

/** A label selector selects `labels` (matchLabels only: the manifests use nothing else). */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined, labels: Record<string, string>) {
  expect(selector?.matchExpressions ?? [], 'matchExpressions are not used').toEqual([]);
  const wanted = Object.entries(selector?.matchLabels ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels[k] === v);
}

function envValue(container: IContainer, name: string): string | undefined {
  return container.env?.find((e: IEnvVar) => e.name === name)?.value;
}

function optionDefault(env: string): unknown {
  return OPTIONS.find((o) => o.env === env)?.default;
}

/** The Dockerfile's runtime user, "uid[:gid]". */
function imageUser(): string {
  const users = [...read('Dockerfile').matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  expect(users.length, 'Dockerfile sets USER').toBeGreaterThan(0);
  return users[users.length - 1] as string;
}

for (const { dir, namespace } of KUSTOMIZATIONS) {
  describe.skipIf(skipWithoutKubectl)(`kubectl kustomize ${dir}`, () => {
    let objects: K8sObject[] = [];
    let deployment: Obj<IDeployment>;
    let pod: IPodSpec;
    let container: IContainer;
    let podLabels: Record<string, string>;

    beforeAll(() => {
      objects = kustomize(path.join(ROOT, dir));
      deployment = one<IDeployment>(objects, 'Deployment');
      pod = deployment.spec?.template.spec as IPodSpec;
      expect(pod.containers).toHaveLength(1);
      container = pod.containers[0] as IContainer;
      podLabels = (deployment.spec?.template.metadata?.labels ?? {}) as Record<string, string>;
    });

    it('renders every object kind faultline needs, each valid against its schema', () => {
      const kinds = objects.map((o) => o.kind).sort();
      for (const kind of ['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'PodMonitor', 'PrometheusRule', 'ScaledObject', 'Service', 'ServiceAccount']) {
        expect(kinds).toContain(kind);
      }
      const problems: string[] = [];
      for (const o of objects) {
        try {
          validateObject(o);
        } catch (err) {
          problems.push((err as Error).message);
        }
      }
      expect(problems).toEqual([]);
      const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
      expect(new Set(names).size, 'no duplicate objects').toBe(names.length);
    });

    it.runIf(namespace !== undefined)('puts every namespaced object in the overlay namespace', () => {
      for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(namespace);
      expect(one(objects, 'Namespace').metadata.name).toBe(namespace);
    });

    it('selects the worker pods with every selector', () => {
      expect(selects(deployment.spec?.selector, podLabels), 'Deployment selector').toBe(true);
      expect(selects({ matchLabels: one<IService>(objects, 'Service').spec?.selector as Record<string, string> }, podLabels), 'Service').toBe(true);
      expect(selects(one<IPodDisruptionBudget>(objects, 'PodDisruptionBudget').spec?.selector, podLabels), 'PDB').toBe(true);
      expect(selects(one<INetworkPolicy>(objects, 'NetworkPolicy').spec?.podSelector, podLabels), 'NetworkPolicy').toBe(true);
      expect(selects(one<IPodMonitor>(objects, 'PodMonitor').spec.selector, podLabels), 'PodMonitor').toBe(true);
      const spreads = pod.topologySpreadConstraints ?? [];
      expect(spreads.map((t) => t.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      for (const t of spreads) expect(selects(t.labelSelector, podLabels), `spread over ${t.topologyKey}`).toBe(true);
    });

    it('serves metrics, liveness and readiness on the named metrics port of the configured number', () => {
      const metricsPort = container.ports?.find((p) => p.name === 'metrics');
      const configured = Number(envValue(container, 'FAULTLINE_METRICS_PORT') ?? optionDefault('FAULTLINE_METRICS_PORT'));
      expect(metricsPort?.containerPort).toBe(configured);
      expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
      expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'metrics' });
      expect(container.startupProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });

      const service = one<IService>(objects, 'Service');
      expect(service.spec?.ports?.map((p) => p.targetPort)).toEqual(['metrics']);
      const monitor = one<IPodMonitor>(objects, 'PodMonitor');
      expect(monitor.spec.podMetricsEndpoints?.map((e) => [e.port, e.path])).toEqual([['metrics', '/metrics']]);
      const ingressPorts = (one<INetworkPolicy>(objects, 'NetworkPolicy').spec?.ingress ?? []).flatMap((r) => (r.ports ?? []).map((p) => p.port));
      expect(ingressPorts).toEqual(['metrics']);
    });

    it('times the liveness probe to the event-loop lag check: a stall restarts the pod, a busy loop does not', () => {
      const probe = container.livenessProbe;
      const maxLagMs = Number(envValue(container, 'FAULTLINE_HEALTH_MAX_LOOP_LAG_MS') ?? optionDefault('FAULTLINE_HEALTH_MAX_LOOP_LAG_MS'));
      // A loop lagging just under the limit must still answer before the probe gives up.
      expect((probe?.timeoutSeconds ?? 1) * 1000).toBeGreaterThan(maxLagMs);
      // Several failed probes in a row, not one slow moment, before a restart.
      expect(probe?.failureThreshold ?? 3).toBeGreaterThanOrEqual(3);
      expect((probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3)).toBeGreaterThanOrEqual(30);
    });

    it('keeps the poison-pill marker on a volume that outlives a container restart', () => {
      const dir = envValue(container, 'FAULTLINE_STATE_DIR');
      expect(dir).toBeDefined();
      const mount = (container.volumeMounts ?? []).find((m) => dir === m.mountPath || dir?.startsWith(`${m.mountPath}/`) === true);
      expect(mount, `a volume mounted at or above ${dir}`).toBeDefined();
      expect(pod.volumes?.find((v) => v.name === mount?.name)?.emptyDir).toBeDefined();
    });

    it('gives the scrape job the name the alert rules and the dashboard expect ("faultline")', () => {
      const monitor = one<IPodMonitor>(objects, 'PodMonitor');
      const jobLabel = monitor.spec.jobLabel;
      expect(jobLabel).toBeDefined();
      expect(podLabels[jobLabel as string]).toBe('faultline');
      expect(read('ops/prometheus/alerts.yml')).toContain('job="faultline"');
    });

    it('passes only settings faultline knows, with values it accepts', () => {
      const known = new Set(OPTIONS.flatMap((o) => (o.env === undefined ? [] : [o.env])));
      const env = container.env ?? [];
      expect(env.map((e) => e.name).filter((n) => !known.has(n))).toEqual([]);
      // Resolve the worker config exactly as the process would (fieldRefs filled with stand-ins).
      const values = Object.fromEntries(env.map((e) => [e.name, e.value ?? 'faultline-7d4b9c-x2x5q']));
      const config = resolveConfig('worker', {}, values);
      expect(config.rules).toEqual(['/etc/faultline/rules']);
      expect(container.args).toEqual(['worker']);
    });

    it('mounts the generated rules ConfigMap where FAULTLINE_RULES points, updated in place and watched', () => {
      const volume = pod.volumes?.find((v) => v.name === 'rules');
      // Fixed names: a rules change updates the mounted files (no rollout) and the worker reloads
      // them. Every shard the generator writes is projected, and nothing else.
      const projected = (volume?.projected?.sources ?? []).map((src) => src.configMap?.name);
      const shards = Array.from({ length: RULES_SHARDS }, (_, i) => rulesShardName(i));
      expect(projected).toEqual(shards);
      const maps = all<IConfigMap>(objects, 'ConfigMap').map((c) => c.metadata.name);
      for (const name of shards) expect(maps).toContain(name);
      const mount = container.volumeMounts?.find((m) => m.name === volume?.name);
      expect(mount).toMatchObject({ mountPath: envValue(container, 'FAULTLINE_RULES'), readOnly: true });
      // The kubelet never updates a subPath mount: the whole volume must be mounted.
      expect(mount?.subPath).toBeUndefined();
      const watchMs = Number(envValue(container, 'FAULTLINE_RULES_WATCH_MS') ?? optionDefault('FAULTLINE_RULES_WATCH_MS'));
      expect(watchMs).toBeGreaterThan(0);
    });

    it('stops the pod only after the worker had its shutdown grace period', () => {
      const graceMs = Number(envValue(container, 'FAULTLINE_SHUTDOWN_GRACE_MS') ?? optionDefault('FAULTLINE_SHUTDOWN_GRACE_MS'));
      expect(pod.terminationGracePeriodSeconds ?? 30).toBeGreaterThan(graceMs / 1000);
    });

    it('runs locked down: non-root (the image user), read-only root, no capabilities, RuntimeDefault seccomp, /tmp an emptyDir', () => {
      const uid = Number(imageUser().split(':')[0]);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.securityContext?.privileged ?? false).toBe(false);
      expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
      const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
      expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(all(objects, 'ServiceAccount').map((s) => s.metadata.name)).toContain(pod.serviceAccountName);
    });

    it('requests and limits memory and CPU, the memory limit above the measured RSS', () => {
      const mi = (q: string | number | undefined) => {
        const m = /^(\d+)(Mi|Gi)$/.exec(String(q));
        expect(m, `memory quantity ${q}`).not.toBeNull();
        return Number(m?.[1]) * (m?.[2] === 'Gi' ? 1024 : 1);
      };
      const { requests, limits } = container.resources ?? {};
      expect(requests?.cpu).toBeDefined();
      expect(limits?.cpu).toBeDefined();
      expect(mi(requests?.memory)).toBeGreaterThanOrEqual(300);
      expect(mi(limits?.memory)).toBeGreaterThan(mi(requests?.memory));
    });

    it('pins the image to a version tag', () => {
      const image = container.image ?? '';
      const tag = /:([^/:@]+)$/.exec(image)?.[1] ?? '';
      expect(tag, image).toMatch(/\d/);
      expect(tag).not.toBe('latest');
    });

    it('scales the Deployment with KEDA on the lag of the group, topics and brokers the worker uses', () => {
      const scaled = one<IScaledObject>(objects, 'ScaledObject');
      expect(scaled.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
      expect(scaled.spec.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
      expect(deployment.spec?.replicas, 'KEDA owns the replica count').toBeUndefined();
      expect(scaled.spec.minReplicaCount ?? 0).toBeGreaterThanOrEqual(1);
      expect(scaled.spec.maxReplicaCount ?? 0).toBeGreaterThanOrEqual(scaled.spec.minReplicaCount ?? 0);

      expect(scaled.spec.triggers).toHaveLength(1);
      const trigger = scaled.spec.triggers[0];
      expect(trigger?.type).toBe('kafka');
      const meta = (trigger?.metadata ?? {}) as Record<string, string>;
      const brokers = (envValue(container, 'KAFKA_BROKERS') ?? '').split(',');
      expect(meta.bootstrapServers?.split(',')).toEqual(brokers);
      expect(meta.consumerGroup).toBe(envValue(container, 'FAULTLINE_GROUP_ID') ?? optionDefault('FAULTLINE_GROUP_ID'));
      expect(Number(meta.lagThreshold)).toBeGreaterThan(0);
      const fromBeginning = envValue(container, 'FAULTLINE_FROM_BEGINNING') === 'true';
      expect(meta.offsetResetPolicy ?? 'latest').toBe(fromBeginning ? 'earliest' : 'latest');
      const spec = parseTopicSpec((envValue(container, 'FAULTLINE_INPUT_TOPICS') ?? '').split(','));
      if (meta.topic === undefined) {
        // Without a topic KEDA sums every topic of the group: right for patterns and lists.
        expect(spec.patterns.length + spec.names.length).toBeGreaterThan(0);
      } else {
        expect(spec.names.length + spec.patterns.length, 'a KEDA topic covers a single-topic worker only').toBe(1);
        expect(spec.names.includes(meta.topic) || spec.patterns.some((p) => p.test(meta.topic as string))).toBe(true);
      }
    });

    it('lets the pods reach DNS and Kafka on the broker port, and nothing else', () => {
      const policy = one<INetworkPolicy>(objects, 'NetworkPolicy');
      expect(policy.spec?.policyTypes?.slice().sort()).toEqual(['Egress', 'Ingress']);
      const egressPorts = (policy.spec?.egress ?? []).flatMap((r) => (r.ports ?? []).map((p) => `${p.protocol}/${p.port}`));
      expect(egressPorts).toEqual(expect.arrayContaining(['UDP/53', 'TCP/53']));
      for (const broker of (envValue(container, 'KAFKA_BROKERS') ?? '').split(',')) {
        expect(egressPorts).toContain(`TCP/${broker.split(':').pop()}`);
      }
      for (const rule of policy.spec?.egress ?? []) expect(rule.to?.length ?? 0, 'no rule open to everything').toBeGreaterThan(0);
      const from = (policy.spec?.ingress ?? []).flatMap((r) => r.from ?? []);
      expect(from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    });

    it('ships the alert rules of ops/prometheus/alerts.yml unchanged as the PrometheusRule', () => {
      const rule = one<IPrometheusRule>(objects, 'PrometheusRule');
      expect(rule.spec.groups).toEqual((parse(read('ops/prometheus/alerts.yml')) as { groups: unknown }).groups);
    });

    it.runIf(namespace !== undefined)('routes and inhibits in its AlertmanagerConfig as ops/alertmanager/alertmanager.yml does', () => {
      type M = { name: string; matchType: string; value: string };
      type R = { receiver: string; groupBy?: string[]; matchers?: M[]; routes?: R[] };
      type AmR = { receiver: string; group_by?: string[]; matchers?: string[]; routes?: AmR[] };
      const am = parse(read('ops/alertmanager/alertmanager.yml')) as {
        route: AmR;
        inhibit_rules: { source_matchers: string[]; target_matchers: string[] }[];
        receivers: { name: string; webhook_configs: { url: string; send_resolved: boolean }[] }[];
      };
      const cfg = one<{ spec: { route: R; inhibitRules: { sourceMatch: M[]; targetMatch: M[] }[]; receivers: { name: string; webhookConfigs: { url: string; sendResolved: boolean }[] }[] } }>(
        objects,
        'AlertmanagerConfig',
      );
      const matcher = (m: M) => `${m.name}${m.matchType}"${m.value}"`;
      const fromCrd = (r: R): AmR => ({ receiver: r.receiver, group_by: r.groupBy, matchers: r.matchers?.map(matcher), routes: r.routes?.map(fromCrd) });
      const fromFile = (r: AmR): AmR => ({ receiver: r.receiver, group_by: r.group_by, matchers: r.matchers, routes: r.routes?.map(fromFile) });
      expect(fromCrd(cfg.spec.route)).toEqual(fromFile(am.route));
      expect(cfg.spec.inhibitRules.map((i) => ({ source_matchers: i.sourceMatch.map(matcher), target_matchers: i.targetMatch.map(matcher) }))).toEqual(am.inhibit_rules);
      expect(cfg.spec.receivers.map((r) => ({ name: r.name, webhook_configs: r.webhookConfigs.map((w) => ({ url: w.url, send_resolved: w.sendResolved })) }))).toEqual(am.receivers);
    });

    it('ships the Grafana dashboard as a sidecar-labelled ConfigMap', () => {
      const dashboards = all<IConfigMap>(objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
      expect(dashboards.map((c) => c.metadata.name)).toEqual(['faultline-dashboard']);
      const data = dashboards[0]?.data ?? {};
      expect(Object.keys(data)).toEqual(['faultline-dashboard.json']);
      expect(JSON.parse(data['faultline-dashboard.json'] ?? '')).toEqual(JSON.parse(read('ops/grafana/faultline-dashboard.json')));
    });

    describe('the rules ConfigMap, loaded as the worker loads its mount', () => {
      let flatDir = '';
      afterAll(() => rmSync(flatDir, { recursive: true, force: true }));

      it('yields every rule of rules/, in the same order, with no new problem', async () => {
        // The projected volume: every shard's keys in one directory.
        const shards = all<IConfigMap>(objects, 'ConfigMap').filter((c) => c.metadata.name.startsWith('faultline-rules-'));
        expect(shards).toHaveLength(RULES_SHARDS);
        flatDir = mkdtempSync(path.join(tmpdir(), 'faultline-rules-cm-'));
        for (const map of shards) {
          const bytes = Object.entries(map.data ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
          expect(bytes, map.metadata.name).toBeLessThanOrEqual(1024 * 1024);
          for (const [key, text] of Object.entries(map.data ?? {})) writeFileSync(path.join(flatDir, key), text);
        }
        const [fromMap, fromTree] = await Promise.all([loadRules([flatDir]), loadRules([path.join(ROOT, 'rules')])]);
        expect(fromMap.problems.map((p) => p.ruleId)).toEqual(fromTree.problems.map((p) => p.ruleId));
        expect(fromTree.rules.length).toBeGreaterThan(0);
        // Rule order decides which error_id a record is counted under: it must not change.
        expect(fromMap.rules.map((r) => r.id)).toEqual(fromTree.rules.map((r) => r.id));
      });
    });
  });
}
