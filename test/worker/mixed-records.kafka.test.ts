// (1) 20,000 mixed records produced with kcat: the output topic holds exactly the expected tagged
// events, the DLQ exactly the poison records, and the group committed the end of every partition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { NOOP_OBSERVER, type BatchReport, type PipelineObserver } from '../../src/pipeline/observer.js';
import { checkDeadLetters, checkOutputs, parseOutputs } from './support/expectations.js';
import { kcatConsumeJson, kcatConsumeRaw } from './support/kcat-io.js';
import { memoryLogger, prepareScenario, waitForCommitsAtEnd, workerConfig, type Scenario } from './support/setup.js';

describe('worker on 20,000 mixed records', () => {
  let s: Scenario;
  let worker: WorkerHandle | undefined;
  const reports: BatchReport[] = [];
  const log = memoryLogger('info');

  beforeAll(async () => {
    s = await prepareScenario(20_000, 1);
    const observer: PipelineObserver = { ...NOOP_OBSERVER, batch: (r) => reports.push(r) };
    worker = await runWorker(workerConfig(s), { logger: log.logger, observer });
    await worker.started;
    await waitForCommitsAtEnd(s, 120_000);
    await worker.stop('test done');
    worker = undefined;
  }, 300_000);

  afterAll(async () => {
    await worker?.stop('cleanup');
  });

  it('the generated input has signatures, multi-line records and poison', () => {
    const kinds = s.records.map((r) => r.expected.kind);
    expect(kinds.filter((k) => k === 'matched').length).toBeGreaterThan(100);
    expect(kinds.filter((k) => k === 'dead').length).toBeGreaterThan(100);
    expect(s.records.some((r) => r.expected.kind === 'matched' && r.value.includes('\n'))).toBe(true);
  });

  it('writes exactly the expected tagged events, keyed like the input', async () => {
    const outputs = parseOutputs(await kcatConsumeJson(s.output));
    checkOutputs(outputs, s.placed, s.input, { emitAll: false, allowDuplicates: false });
  }, 120_000);

  it('dead-letters exactly the poison records with their bytes, key and reason', async () => {
    const [raw, json] = await Promise.all([kcatConsumeRaw(s.dlq), kcatConsumeJson(s.dlq)]);
    checkDeadLetters(raw, json, s.placed, s.input, { allowDuplicates: false });
  }, 120_000);

  it('reports every record once to the observer', () => {
    const sum = (f: (r: BatchReport) => number) => reports.reduce((n, r) => n + f(r), 0);
    const count = (k: string) => s.records.filter((r) => r.expected.kind === k).length;
    expect(sum((r) => r.records)).toBe(s.records.length);
    expect(sum((r) => r.matched.length)).toBe(count('matched'));
    expect(sum((r) => r.unmatched)).toBe(count('unmatched'));
    expect(sum((r) => Object.values(r.deadLettered).reduce((a, b) => a + (b ?? 0), 0))).toBe(count('dead'));
  });

  it('logs lifecycle events and rate-limited warnings, not a line per record', () => {
    const lines = log.lines();
    const events = lines.map((l) => l.event);
    expect(events).toContain('start');
    expect(events).toContain('group-joined');
    expect(events).toContain('shutdown');
    const deadLines = lines.filter((l) => l.event === 'dead-letter');
    expect(deadLines.length).toBeGreaterThan(0);
    expect(deadLines.length).toBeLessThan(20);
    const logged = deadLines.reduce((n, l) => n + Number(l.count), 0);
    expect(logged).toBe(s.records.filter((r) => r.expected.kind === 'dead').length);
    expect(lines.length).toBeLessThan(100);
  });
});
