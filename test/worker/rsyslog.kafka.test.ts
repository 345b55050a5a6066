// An independent shipper: rsyslog (imfile tails a log file, omkafka — librdkafka inside — writes
// to the input topic), run by the test as an ordinary foreground process with its own work
// directory, once with lz4 and once with zstd. The worker's tagged output is checked exactly
// against the matcher's verdict on each line.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { loadRules } from '../../src/kb/load.js';
import { buildBank } from '../../src/match/bank.js';
import { brokerList, createTopic, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { kcatConsumeJson, kcatConsumeRaw } from './support/kcat-io.js';
import { firstSegment, localSegments, segmentBatches } from './support/segment-file.js';
import { memoryLogger, RULES_DIR } from './support/setup.js';
import { matchRecordText } from '../../src/match/record-text.js';

const SIGNATURES = [
  'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
  'System.InvalidOperationException: Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.  This may have occurred because all pooled connections were in use and max pool size was reached.',
  'dial tcp 10.0.0.5:5432: connect: cannot assign requested address',
];

function lines(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i % 10 === 3 ? `2026-12-02T08:00:${String(i % 60).padStart(2, '0')}Z app[${i}]: ${SIGNATURES[i % SIGNATURES.length]}` : `2026-12-02T08:00:${String(i % 60).padStart(2, '0')}Z app[${i}]: GET /api/items/${i} 200 in ${i % 97} ms`,
  );
}

function rsyslogConf(dir: string, file: string, topic: string, codec: string): string {
  return `global(workDirectory="${dir}")
module(load="imfile" mode="polling" PollingInterval="1")
module(load="omkafka")
input(type="imfile" File="${file}" Tag="app" ruleset="to-kafka" freshStartTail="off")
template(name="line" type="string" string="%msg%")
ruleset(name="to-kafka") {
  action(type="omkafka" broker=["${brokerList().join('","')}"] topic="${topic}" template="line"
         confParam=["compression.codec=${codec}", "acks=all", "linger.ms=50"])
}
`;
}

interface Run {
  codec: 'lz4' | 'zstd';
  topic: string;
  lines: string[];
}

describe.each(['lz4', 'zstd'] as const)('rsyslog omkafka with %s', (codec) => {
  const run: Run = { codec, topic: '', lines: lines(400) };
  let output: string;
  let dir: string;
  let rsyslog: ChildProcess | undefined;
  let rsyslogErr = '';
  let worker: WorkerHandle | undefined;
  const log = memoryLogger('info');

  beforeAll(async () => {
    run.topic = await createTopic({ prefix: `rsyslog-${codec}`, partitions: 2 });
    output = await createTopic({ prefix: `rsyslog-${codec}-out`, partitions: 1 });
    dir = mkdtempSync(join(tmpdir(), 'faultline-rsyslog-'));
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    writeFileSync(join(dir, 'rsyslog.conf'), rsyslogConf(dir, file, run.topic, codec));
    rsyslog = spawn('rsyslogd', ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslog.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    rsyslog.stdout?.on('data', (d: Buffer) => (rsyslogErr += d.toString()));
    rsyslog.stderr?.on('data', (d: Buffer) => (rsyslogErr += d.toString()));
    appendFileSync(file, `${run.lines.join('\n')}\n`);
    await waitUntil(async () => (await kcatConsumeRaw(run.topic)).length >= run.lines.length, {
      timeoutMs: 90_000,
      intervalMs: 1000,
      what: `rsyslog to write ${run.lines.length} lines to ${run.topic}`,
    }).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\nrsyslogd: ${rsyslogErr}`);
    });

    const config = resolveConfig('worker', {}, {
      KAFKA_BROKERS: brokerList().join(','),
      FAULTLINE_INPUT_TOPICS: run.topic,
      FAULTLINE_OUTPUT_TOPIC: output,
      FAULTLINE_DLQ_TOPIC: `${output}-dlq`,
      FAULTLINE_GROUP_ID: uniqueTopicName('group-rsyslog'),
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_EMIT: 'all',
      FAULTLINE_RULES: RULES_DIR,
    });
    worker = await runWorker(config, { logger: log.logger });
    await worker.started;
    await waitUntil(async () => (await kcatConsumeJson(output)).length >= run.lines.length, {
      timeoutMs: 120_000,
      intervalMs: 1000,
      what: `the worker to tag ${run.lines.length} events`,
    });
  }, 300_000);

  afterAll(async () => {
    await worker?.stop('cleanup');
    rsyslog?.kill('SIGTERM');
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(localSegments())(`the input topic is ${codec}-compressed by librdkafka inside rsyslog`, async () => {
    const codecs = new Set<number>();
    for (const p of [0, 1]) for (const b of segmentBatches(await firstSegment(run.topic, p))) codecs.add(b.codec);
    expect(codecs).toEqual(new Set([codec === 'lz4' ? 3 : 4]));
  });

  it('tags every line exactly once, with the rules the bank matches for that line', async () => {
    const { rules } = await loadRules([RULES_DIR]);
    const { bank } = buildBank(rules);
    const outputs = (await kcatConsumeJson(output)).map((m) => JSON.parse(m.payload ?? 'null') as { message: string; faultline: { matches: { id: string }[] } });
    expect(outputs.map((o) => o.message).sort()).toEqual([...run.lines].sort());
    let matched = 0;
    for (const o of outputs) {
      const want = [...new Set(matchRecordText(bank, o.message).map((m) => rules[m.rule]!.id))].sort();
      const got = o.faultline.matches.map((m) => m.id).sort();
      expect(got, o.message).toEqual(want);
      if (got.length > 0) matched++;
    }
    // Every signature line matched something; the request lines nothing.
    expect(matched).toBe(run.lines.filter((l) => SIGNATURES.some((s) => l.includes(s))).length);
  }, 120_000);
});
