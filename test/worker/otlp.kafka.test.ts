// OTLP logs as the OpenTelemetry Collector's Kafka exporter writes them (one
// ExportLogsServiceRequest per Kafka message, `otlp_proto` or `otlp_json`), made with the
// OpenTelemetry JS SDK and serialisers: every log record that carries a known signature comes
// out as its own tagged event, with the service of its resource and its index in the message;
// a message that is not OTLP goes to the DLQ with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { resolveConfig } from '../../src/config/config.js';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { NOOP_OBSERVER, type BatchReport, type PipelineObserver } from '../../src/pipeline/observer.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { brokerList, committedOffsets, createTopic, newKafka, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { otlpJsonMessage, otlpProtoMessage, type FixtureService } from '../support/otlp-fixtures.js';
import { kcatConsumeJson, kcatConsumeRaw } from './support/kcat-io.js';
import { memoryLogger, RULES_DIR } from './support/setup.js';

interface Expected {
  topic: string;
  message: number;
  index: number;
  service: string;
  ruleId: string | undefined;
}

/** Messages of several resources, each with records that match (body or exception attributes) and some that do not. */
function servicesFor(message: number, rules: readonly Rule[]): { services: FixtureService[]; plan: { service: string; ruleId: string | undefined }[] } {
  const withExample = rules.filter((r) => (r.examples?.match.length ?? 0) > 0);
  const pick = (k: number) => withExample[(message * 7 + k * 3) % withExample.length] as Rule;
  const plan: { service: string; ruleId: string | undefined }[] = [];
  const services: FixtureService[] = [];
  for (const [s, name] of [`orders-${message}`, `payments-${message}`].entries()) {
    const logs: FixtureService['logs'] = [];
    for (let k = 0; k < 3; k++) {
      const rule = pick(s * 3 + k);
      const text = rule.examples?.match[0]?.text ?? '';
      const nl = text.indexOf('\n');
      const head = nl < 0 ? text : text.slice(0, nl);
      const colon = head.indexOf(': ');
      if (k === 1 && colon > 0) {
        // The Java/.NET/Python SDKs put a caught exception into these attributes, beside a short body.
        logs.push({
          body: 'request failed',
          severityText: 'ERROR',
          attributes: { 'exception.type': head.slice(0, colon), 'exception.message': head.slice(colon + 2), 'exception.stacktrace': text, 'http.route': '/pay' },
        });
      } else {
        logs.push({ body: text, severityText: 'ERROR' });
      }
      plan.push({ service: name, ruleId: rule.id });
      logs.push({ body: `GET /health 200 in ${k + 1} ms`, severityText: 'INFO' });
      plan.push({ service: name, ruleId: undefined });
    }
    services.push({ resource: { 'service.name': name, 'service.version': '1.2.3' }, logs });
  }
  return { services, plan };
}

describe('worker on OTLP logs from the Collector Kafka exporter', () => {
  let worker: WorkerHandle | undefined;
  const reports: BatchReport[] = [];
  const log = memoryLogger('info');
  const topics = { proto: '', json: '', auto: '', output: '', dlq: '' };
  const expected: Expected[] = [];
  const messagesPer = 4;
  const invalid: { topic: string; value: Buffer }[] = [];
  let ends = new Map<string, number>();

  beforeAll(async () => {
    const { rules } = await loadRules([RULES_DIR]);
    topics.proto = await createTopic({ prefix: 'otlp-proto', partitions: 1 });
    topics.json = await createTopic({ prefix: 'otlp-json', partitions: 1 });
    topics.auto = await createTopic({ prefix: 'otlp-auto', partitions: 1 });
    topics.output = await createTopic({ prefix: 'matches', partitions: 1 });
    topics.dlq = await createTopic({ prefix: 'dlq', partitions: 1 });

    const producer = newKafka('otlp-producer').producer();
    await producer.connect();
    try {
      for (const topic of [topics.proto, topics.json, topics.auto]) {
        const messages: { key: string | null; value: Buffer }[] = [];
        for (let m = 0; m < messagesPer; m++) {
          const { services, plan } = servicesFor(m + (topic === topics.json ? 10 : topic === topics.auto ? 20 : 0), rules);
          const asJson = topic === topics.json || (topic === topics.auto && m % 2 === 1);
          messages.push({ key: null, value: asJson ? await otlpJsonMessage(services) : await otlpProtoMessage(services) });
          plan.forEach((p, index) => expected.push({ topic, message: m, index, ...p }));
        }
        if (topic !== topics.auto) {
          const bad = topic === topics.proto ? Buffer.from('2026-12-02 ERROR this is a text line, not protobuf') : Buffer.from('{"msg":"JSON, but not OTLP"}');
          messages.push({ key: 'bad', value: bad });
          invalid.push({ topic, value: bad });
        }
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
    ends = new Map([
      [topics.proto, messagesPer + 1],
      [topics.json, messagesPer + 1],
      [topics.auto, messagesPer],
    ]);

    const groupId = uniqueTopicName('group');
    const config = resolveConfig('worker', {}, {
      KAFKA_BROKERS: brokerList().join(','),
      FAULTLINE_METRICS_PORT: '0',
      FAULTLINE_INPUT_TOPICS: [topics.proto, topics.json, topics.auto].join(','),
      FAULTLINE_INPUT_ENCODING: `${topics.proto}=otlp_proto,${topics.json}=otlp_json,auto`,
      FAULTLINE_OUTPUT_TOPIC: topics.output,
      FAULTLINE_DLQ_TOPIC: topics.dlq,
      FAULTLINE_GROUP_ID: groupId,
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_RULES: RULES_DIR,
    });
    const observer: PipelineObserver = { ...NOOP_OBSERVER, batch: (r) => reports.push(r) };
    worker = await runWorker(config, { logger: log.logger, observer });
    await worker.started;
    await waitUntil(
      async () => {
        for (const [topic, end] of ends) if ((await committedOffsets(groupId, topic)).get(0) !== end) return false;
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'the worker to commit the end of the OTLP topics' },
    );
    await worker.stop('test done');
    worker = undefined;
  }, 300_000);

  afterAll(async () => {
    await worker?.stop('cleanup');
  });

  it('tags every log record that carries a signature, once, with its resource service and its index in the message', async () => {
    const out = await kcatConsumeJson(topics.output);
    const events = out.map((m) => JSON.parse(m.payload ?? '{}') as { faultline: { service?: string; matches: { id: string }[]; source: Record<string, unknown> } });
    const wanted = expected.filter((e) => e.ruleId !== undefined);
    expect(wanted.length).toBe(3 * messagesPer * 6);
    expect(events).toHaveLength(wanted.length);
    const got = new Map(events.map((e) => [`${String(e.faultline.source.topic)}/${String(e.faultline.source.offset)}/${String(e.faultline.source.index)}`, e]));
    expect(got.size).toBe(events.length);
    for (const w of wanted) {
      const e = got.get(`${w.topic}/${w.message}/${w.index}`);
      expect(e, `${w.topic} message ${w.message} record ${w.index}`).toBeDefined();
      expect(e?.faultline.service).toBe(w.service);
      expect(e?.faultline.matches.map((m) => m.id)).toContain(w.ruleId);
      expect(e?.faultline.source).toMatchObject({ kind: 'kafka', topic: w.topic, partition: 0, offset: String(w.message), index: w.index });
    }
  }, 120_000);

  it('dead-letters the messages that are not OTLP, byte for byte, with the reason', async () => {
    const [raw, json] = await Promise.all([kcatConsumeRaw(topics.dlq), kcatConsumeJson(topics.dlq)]);
    expect(raw.map((m) => m.value)).toEqual(expect.arrayContaining(invalid.map((i) => i.value)));
    expect(raw).toHaveLength(invalid.length);
    for (const m of json) {
      expect(m.headers[DLQ_HEADERS.reason]).toBe('invalid-otlp');
      expect(m.headers[DLQ_HEADERS.error]).toMatch(/^not (an OTLP|OTLP JSON|an OTLP logs export request)/);
      expect([topics.proto, topics.json]).toContain(m.headers[DLQ_HEADERS.topic]);
    }
  }, 120_000);

  it('counts matched and unmatched per log record, and messages as consumed records', () => {
    const sum = (f: (r: BatchReport) => number) => reports.reduce((n, r) => n + f(r), 0);
    expect(sum((r) => r.records)).toBe(3 * messagesPer + invalid.length);
    expect(sum((r) => r.matched.length)).toBe(expected.filter((e) => e.ruleId !== undefined).length);
    expect(sum((r) => r.unmatched)).toBe(expected.filter((e) => e.ruleId === undefined).length);
    expect(sum((r) => r.deadLettered['invalid-otlp'] ?? 0)).toBe(invalid.length);
    const services = new Set(reports.flatMap((r) => r.matched.map((m) => m.service)));
    expect(services).toEqual(new Set(expected.map((e) => e.service)));
  });
});
