// k8s/base/generated/ is derived from rules/, ops/prometheus/alerts.yml and the Grafana dashboard:
// it must be exactly what `npm run k8s:generate` writes now.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { drift, main } from '../../scripts/k8s/generate.js';
import { CONFIGMAP_MAX_BYTES, configMapKey, generatedFiles, GENERATED_DIR, RULES_SHARDS, shardRuleFiles } from '../../scripts/k8s/generated-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('k8s/base/generated', () => {
  it('is up to date (else: npm run k8s:generate)', async () => {
    expect(drift(ROOT, await generatedFiles(ROOT))).toEqual({ changed: [], extra: [] });
  });

  it('holds one ConfigMap entry per rule file, schema.json left out', async () => {
    const files = [...(await generatedFiles(ROOT)).keys()].filter((f) => f.startsWith(`${GENERATED_DIR}/rules/`));
    expect(files).toContain(`${GENERATED_DIR}/rules/java__hikaricp-connection-not-available.json`);
    expect(files.some((f) => f.includes('schema'))).toBe(false);
  });
});

describe('shardRuleFiles', () => {
  const files = (sizes: number[]) => sizes.map((bytes, i) => ({ key: `k${String(i).padStart(3, '0')}.json`, bytes }));

  it('keeps the key order across shards, every key once, in shares of about a quarter', () => {
    const input = files(Array.from({ length: 200 }, (_, i) => 1000 + ((i * 7919) % 5000)));
    const shards = shardRuleFiles(input);
    expect(shards).toHaveLength(RULES_SHARDS);
    expect(shards.flat()).toEqual(input.map((f) => f.key));
    const total = input.reduce((n, f) => n + f.bytes, 0);
    for (const keys of shards) {
      const bytes = input.filter((f) => keys.includes(f.key)).reduce((n, f) => n + f.bytes, 0);
      expect(bytes).toBeGreaterThan(total / RULES_SHARDS - 6000);
      expect(bytes).toBeLessThan(total / RULES_SHARDS + 6000);
    }
  });

  it('refuses a KB that does not fit, naming what to raise, and one with too few files', () => {
    expect(() => shardRuleFiles(files(Array.from({ length: 8 }, () => CONFIGMAP_MAX_BYTES * 0.6)))).toThrow(/over the .* raise RULES_SHARDS/);
    expect(() => shardRuleFiles(files([10, 10]))).toThrow(/would be empty/);
  });
});

describe('configMapKey', () => {
  it('flattens the rule path with "__"', () => {
    expect(configMapKey('java/hikaricp-connection-not-available.json')).toBe('java__hikaricp-connection-not-available.json');
    expect(configMapKey('a/b/c.json')).toBe('a__b__c.json');
  });

  it('refuses names a ConfigMap key cannot hold', () => {
    expect(() => configMapKey('java/pool exhausted.json')).toThrow(/not a valid ConfigMap key/);
  });
});

describe('the generator on a copy of the sources', () => {
  let scratch = '';
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  function copyOfSources(): string {
    scratch = mkdtempSync(path.join(tmpdir(), 'faultline-k8s-gen-'));
    for (const rel of ['rules', 'ops', 'k8s']) cpSync(path.join(ROOT, rel), path.join(scratch, rel), { recursive: true });
    return scratch;
  }

  it('--check fails once a source changed, and generating makes it pass again', async () => {
    const root = copyOfSources();
    writeFileSync(path.join(root, 'rules/java/extra-rule.json'), '{"id": "java/extra-rule"}\n');
    rmSync(path.join(root, 'rules/go/socket-too-many-open-files.json'));
    const quiet = { error: console.error };
    console.error = () => {};
    try {
      expect(await main(['--check'], root)).toBe(1);
      expect(drift(root, await generatedFiles(root))).toEqual({
        changed: expect.arrayContaining([`${GENERATED_DIR}/rules/java__extra-rule.json`, `${GENERATED_DIR}/kustomization.yaml`]),
        extra: [`${GENERATED_DIR}/rules/go__socket-too-many-open-files.json`],
      });
      expect(await main([], root)).toBe(0);
      expect(await main(['--check'], root)).toBe(0);
    } finally {
      console.error = quiet.error;
    }
  });
});
