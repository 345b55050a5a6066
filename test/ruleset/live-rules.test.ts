// The worker's rules end to end without Kafka: a ConfigMap-style directory is updated on disk,
// the watcher notices, the new bank is swapped in (or refused), and the metrics say so.
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import { MetricsObserver } from '../../src/metrics/observer.js';
import { openLiveRules, type LiveRules } from '../../src/ruleset/live-rules.js';
import { flatRecord } from '../kb/rule-files.js';
import { parseExposition } from '../metrics/exposition.js';
import { ConfigMapDir } from '../worker/support/configmap-dir.js';
import { eventually } from '../worker/support/eventually.js';
import { memoryLogger } from '../worker/support/memory-logger.js';

const rule = (id: string, extra: Record<string, unknown> = {}) => flatRecord({ id: `t/${id}`, regex: `boom ${id}`, ...extra });

let cm: ConfigMapDir | undefined;
let rules: LiveRules | undefined;
afterEach(async () => {
  rules?.close();
  rules = undefined;
  await cm?.remove();
  cm = undefined;
});

async function start(strict: boolean) {
  cm = await ConfigMapDir.create({ 'a.json': rule('a', { root_cause: 'Too few connections.' }) });
  const metrics = createMetrics({ defaultMetrics: false });
  const log = memoryLogger();
  rules = await openLiveRules({
    dirs: [cm.dir],
    strict,
    watchMs: 20,
    watchSettleMs: 5,
    logger: log.logger,
    observer: new MetricsObserver({ metrics, serviceLabelLimit: 10 }),
  });
  rules.watch();
  const sample = async (name: string, labels: Record<string, string> = {}) =>
    parseExposition(await metrics.registry.metrics()).samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const events = () => log.lines().map((l) => l.event);
  return { cm, rules, sample, events, log };
}

const ids = (r: LiveRules) => r.banks.current().rules.map((x) => x.id);
const matches = (r: LiveRules, text: string) => r.banks.current().match(text).length > 0;

describe('live rules', () => {
  it('swaps in the rules of a ConfigMap update and reports the new version', async () => {
    const t = await start(false);
    expect(ids(t.rules)).toEqual(['t/a']);
    expect((await t.sample('faultline_rule_info', { error_id: 't/a' }))?.labels.root_cause).toBe('Too few connections.');
    const firstVersion = (await t.sample('faultline_rules_version_info'))?.labels.rules_version;

    await t.cm.update({ 'a.json': rule('a'), 'b.json': rule('b') });
    await eventually(() => ids(t.rules).length === 2, 'the new bank');
    expect(matches(t.rules, 'boom b')).toBe(true);
    expect(await t.sample('faultline_rules_loaded')).toMatchObject({ value: 2 });
    expect(await t.sample('faultline_rules_reloads_total', { result: 'success' })).toMatchObject({ value: 2 });
    expect(await t.sample('faultline_rules_last_reload_success')).toMatchObject({ value: 1 });
    expect((await t.sample('faultline_rules_version_info'))?.labels.rules_version).not.toBe(firstVersion);
    const reloaded = t.log.lines().filter((l) => l.event === 'rules-reloaded');
    expect(reloaded).toEqual([expect.objectContaining({ trigger: 'rules changed', rules: 2, previousVersion: firstVersion })]);
  });

  it('keeps the last good bank when every rule is removed, and says so', async () => {
    const t = await start(false);
    await t.cm.update({});
    await eventually(() => t.events().includes('reload-failed'), 'the refused reload');
    expect(ids(t.rules)).toEqual(['t/a']);
    expect(matches(t.rules, 'boom a')).toBe(true);
    expect(await t.sample('faultline_rules_reloads_total', { result: 'failure' })).toMatchObject({ value: 1 });
    expect(await t.sample('faultline_rules_last_reload_success')).toMatchObject({ value: 0 });
    expect(await t.sample('faultline_rules_loaded')).toMatchObject({ value: 1 });
    expect(t.log.lines().find((l) => l.event === 'reload-failed')?.error).toMatch(/^no usable rule in /);

    // Fixed: the next update is taken.
    await t.cm.update({ 'a.json': rule('a'), 'c.json': rule('c') });
    await eventually(() => ids(t.rules).length === 2, 'the fixed rules');
    expect(await t.sample('faultline_rules_last_reload_success')).toMatchObject({ value: 1 });
  });

  it('under strict rules, refuses an update with one broken file; without, skips that file', async () => {
    for (const strict of [true, false]) {
      const t = await start(strict);
      await t.cm.update({ 'a.json': rule('a'), 'b.json': rule('b'), 'broken.json': '{"id": "t/broken",' });
      if (strict) {
        await eventually(() => t.events().includes('reload-failed'), 'the refused reload');
        expect(ids(t.rules)).toEqual(['t/a']);
        const line = t.log.lines().find((l) => l.event === 'reload-failed');
        expect(line?.firstProblems).toEqual([expect.stringContaining('broken.json')]);
      } else {
        await eventually(() => ids(t.rules).length === 2, 'the partial update');
        expect(ids(t.rules)).toEqual(['t/a', 't/b']);
        expect(t.log.lines().find((l) => l.event === 'rules-reloaded')).toMatchObject({ problems: 1, firstProblems: [expect.stringContaining('broken.json')] });
      }
      rules?.close();
      rules = undefined;
      await cm?.remove();
      cm = undefined;
    }
  });
});
