// Live rule updates on a real broker: the rules directory (a ConfigMap-style mount) changes on
// disk while records flow. With --emit all every input record must come out exactly once; the
// new rule matches from one batch on (never half a batch, never back); broken updates (a bad
// file under strict rules, then an empty ConfigMap) keep the running bank, and the metrics say so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { buildBank } from '../../src/match/bank.js';
import { MetricsObserver } from '../../src/metrics/observer.js';
import { createMetrics } from '../../src/metrics/registry.js';
import type { BatchReport } from '../../src/pipeline/observer.js';
import { parseExposition } from '../metrics/exposition.js';
import { createTopic, waitUntil } from '../support/kafka.js';
import { ConfigMapDir } from './support/configmap-dir.js';
import { coord, parseOutputs, type TaggedOutput } from './support/expectations.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceRaw } from './support/kcat-io.js';
import { emitAllConfig, memoryLogger, RULES_DIR } from './support/setup.js';

/** The shipped rules as ConfigMap entries (flat keys, as scripts/k8s generates them). */
function configMapFiles(rules: readonly Rule[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const r of rules) files[path.relative(RULES_DIR, r.file).split(path.sep).join('__')] = readFileSync(r.file, 'utf8');
  return files;
}

/** A rule whose own example no other rule needs: the update adds it. */
function pickAddedRule(rules: readonly Rule[]): { rule: Rule; text: string } {
  const bank = buildBank(rules).bank;
  try {
    for (const rule of rules) {
      const text = rule.examples?.match[0]?.text;
      if (text === undefined) continue;
      const index = bank.rules.indexOf(rule);
      if (bank.match(text).some((m) => m.rule === index)) return { rule, text };
    }
  } finally {
    bank.close();
  }
  throw new Error('no rule matches its own example');
}

describe('live rule update from disk', () => {
  let worker: WorkerHandle | undefined;
  let cm: ConfigMapDir | undefined;
  afterAll(async () => {
    await worker?.stop('test done');
    await cm?.remove();
  });

  it('swaps between batches, loses no record, and keeps the old bank on broken updates', async () => {
    const { rules } = await loadRules([RULES_DIR]);
    const { rule: added, text } = pickAddedRule(rules);
    const all = configMapFiles(rules);
    const without = configMapFiles(rules.filter((r) => r !== added));
    cm = await ConfigMapDir.create(without);

    const input = await createTopic({ prefix: 'live-in', partitions: 2 });
    const output = await createTopic({ prefix: 'live-out', partitions: 2 });
    const config = emitAllConfig(input, output, {
      FAULTLINE_RULES: cm.dir,
      FAULTLINE_STRICT_RULES: 'true',
      FAULTLINE_RULES_WATCH_MS: '100',
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const batches: BatchReport[] = [];
    const observer = new (class extends MetricsObserver {
      override batch(report: BatchReport): void {
        batches.push(report);
        super.batch(report);
      }
    })({ metrics, serviceLabelLimit: 10 });
    const log = memoryLogger();
    worker = await runWorker(config, {
      logger: log.logger,
      observer,
      tuning: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 },
    });
    await worker.started;

    let produced = 0;
    const produce = async (phase: string, n = 10): Promise<void> => {
      await kcatProduceRaw(input, Array.from({ length: n }, (_, i) => ({ key: `${phase}-${produced + i}`, value: Buffer.from(text) })));
      produced += n;
    };
    const outputs = async (): Promise<TaggedOutput[]> => parseOutputs(await kcatConsumeJson(output));
    const events = (event: string) => log.lines().filter((l) => l.event === event);
    /** Keeps records flowing until `done`: the update happens under load. */
    const flowUntil = async (phase: string, done: () => boolean, what: string): Promise<void> => {
      for (let round = 0; round < 200 && !done(); round++) await produce(phase, 5);
      if (!done()) throw new Error(`no ${what} while records flowed`);
    };

    await produce('before', 20);
    await waitUntil(async () => (await outputs()).length >= 20, { timeoutMs: 60_000, what: 'the first records' });

    await cm.update(all);
    await flowUntil('during', () => events('rules-reloaded').length > 0, 'reload');
    await produce('after', 20);

    await cm.update({ ...all, 'zz__broken.json': '{"id": "test/broken",' });
    await flowUntil('broken-file', () => events('reload-failed').length > 0, 'refused reload');
    await produce('after-broken-file', 10);

    await cm.update({});
    await flowUntil('empty', () => events('reload-failed').length > 1, 'second refused reload');
    await produce('after-empty', 10);

    const out = await waitUntil(async () => {
      const o = await outputs();
      return o.length >= produced ? o : undefined;
    }, { timeoutMs: 60_000, what: `${produced} output events` });

    // Every input record exactly once.
    const inputCoords = (await kcatConsumeRaw(input)).map((m) => coord(m.partition, m.offset)).sort();
    expect(inputCoords).toHaveLength(produced);
    expect(out.map((o) => coord(o.source.partition, o.source.offset)).sort()).toEqual(inputCoords);

    // Before the update: never the added rule. From the reload on, and through both refused
    // updates: always.
    const hasAdded = (o: TaggedOutput) => o.ruleIds.includes(added.id);
    const phaseOf = (o: TaggedOutput) => (o.key ?? '').replace(/-\d+$/, '');
    expect(out.filter((o) => phaseOf(o) === 'before').some(hasAdded)).toBe(false);
    const mustMatch = out.filter((o) => !['before', 'during'].includes(phaseOf(o)));
    expect(mustMatch.length).toBeGreaterThan(40);
    expect(mustMatch.filter((o) => !hasAdded(o)).map((o) => o.key)).toEqual([]);

    // Per partition, in offset order, the switch happens once, between batches.
    for (const b of batches) {
      const withAdded = b.matched.filter((m) => m.ruleIds.includes(added.id)).length;
      expect([0, b.records], `batch ${b.partition}@${b.lastOffset}`).toContain(withAdded);
    }
    for (const partition of [0, 1]) {
      const flags = out
        .filter((o) => o.source.partition === partition)
        .sort((a, b) => Number(a.source.offset) - Number(b.source.offset))
        .map(hasAdded);
      expect(flags.indexOf(true) === -1 || !flags.slice(flags.indexOf(true)).includes(false), `partition ${partition} switches once`).toBe(true);
    }

    // What the operator sees.
    expect(events('rules-reloaded')).toEqual([expect.objectContaining({ trigger: 'rules changed', rules: rules.length })]);
    const failed = events('reload-failed');
    expect(failed).toHaveLength(2);
    expect(failed[0]?.error).toBe('1 rule problem(s) and strict rules are on');
    expect(failed[0]?.firstProblems).toEqual([expect.stringContaining('zz__broken.json')]);
    expect(failed[1]?.error).toMatch(/^no usable rule in /);
    // New series show their counts from the second scrape on (DeferredCounter).
    await metrics.registry.metrics();
    const samples = parseExposition(await metrics.registry.metrics()).samples;
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('faultline_rules_reloads_total', { result: 'success' })).toBe(2);
    expect(value('faultline_rules_reloads_total', { result: 'failure' })).toBe(2);
    expect(value('faultline_rules_last_reload_success')).toBe(0);
    expect(value('faultline_rules_loaded')).toBe(rules.length);
    // Counting went on across the swaps: every record once, the added rule from its reload on.
    expect(value('faultline_records_consumed_total', { topic: input })).toBe(produced);
    const addedCount = samples.filter((x) => x.name === 'faultline_matches_total' && x.labels.error_id === added.id).reduce((n, x) => n + x.value, 0);
    expect(addedCount).toBe(out.filter(hasAdded).length);
    expect(samples.filter((s) => s.name === 'faultline_rules_version_info').map((s) => s.labels.rules_version)).toEqual([events('rules-reloaded')[0]?.version]);
  }, 240_000);
});
