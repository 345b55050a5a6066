// The worker against a broker that requires SASL_SSL or mutual TLS, as managed Kafka does: the
// built CLI end to end over SCRAM-SHA-512, PLAIN and mTLS (input written and output read back by
// kcat over the same secured listener), and one fatal line with exit 1 for each set-up mistake an
// SRE makes: wrong password, a CA that did not sign the broker's certificate, an expired broker
// certificate, a host name the certificate does not carry, a missing or refused client
// certificate. The broker is its own (test/worker/support/secure-broker.ts), started once here.
//
// kcat writes and reads over the same listener; for the SCRAM case with SCRAM on Kafka 3.x and
// with PLAIN on 4.x, where Debian's kcat (librdkafka 2.0.2) cannot log in with SCRAM (kcatSasl).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { waitUntil } from '../support/kafka.js';
import { checkDeadLetters, checkOutputs, endOffsets, parseOutputs, placeRecords } from './support/expectations.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceRaw, type KcatTarget } from './support/kcat-io.js';
import { generateMixedRecords } from './support/mixed-records.js';
import {
  acquireSecureBroker,
  committedOn,
  createSecureTopics,
  kcatMtls,
  kcatSasl,
  kcatScramIfSupported,
  type SecureBroker,
} from './support/secure-broker.js';
import { MAX_RECORD_BYTES, RULES_DIR } from './support/setup.js';
import { killWorker, startWorkerProcess, type LogLine, type WorkerProcess } from './support/worker-process.js';

const RECORDS = 400;

describe('worker on a broker that requires SASL_SSL or mutual TLS', () => {
  let b: SecureBroker;
  let rules: Rule[];
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    b = await acquireSecureBroker();
    rules = (await loadRules([RULES_DIR])).rules;
  }, 240_000);
  afterEach(async () => killWorker(worker));
  afterAll(async () => b?.release());

  const sasl = (mechanism: string, password = b.password, ca = b.file('ca.pem')): Record<string, string> => ({
    FAULTLINE_KAFKA_SASL_MECHANISM: mechanism,
    FAULTLINE_KAFKA_SASL_USERNAME: b.user,
    FAULTLINE_KAFKA_SASL_PASSWORD: password,
    FAULTLINE_KAFKA_TLS_CA_FILE: ca,
  });
  const mtls = (cert = 'client'): Record<string, string> => ({
    FAULTLINE_KAFKA_TLS_CA_FILE: b.file('ca.pem'),
    FAULTLINE_KAFKA_TLS_CERT_FILE: b.file(`${cert}.pem`),
    FAULTLINE_KAFKA_TLS_KEY_FILE: b.file(`${cert}.key`),
  });

  /** Generated records in through `client`, the worker over `brokers` with `security`, exact output out. */
  async function endToEnd(label: string, seed: number, client: KcatTarget, brokers: string, security: Record<string, string>): Promise<void> {
    const t = await createSecureTopics(b, label);
    const records = generateMixedRecords({ count: RECORDS, seed, maxRecordBytes: MAX_RECORD_BYTES }, rules);
    await kcatProduceRaw(t.input, records.map((r) => ({ key: r.key, value: r.value })), 120_000, 'none', client);
    const back = await kcatConsumeRaw(t.input, 120_000, client);
    const placed = placeRecords(records, back);
    const ends = endOffsets(back);

    worker = startWorkerProcess({
      KAFKA_BROKERS: brokers,
      FAULTLINE_INPUT_TOPICS: t.input,
      FAULTLINE_OUTPUT_TOPIC: t.output,
      FAULTLINE_DLQ_TOPIC: t.dlq,
      FAULTLINE_GROUP_ID: t.groupId,
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES),
      FAULTLINE_RULES: RULES_DIR,
      ...security,
    });
    await worker.waitForEvent('group-joined', 120_000);
    await waitUntil(
      async () => {
        const committed = await committedOn(b, t.groupId, t.input);
        return [...ends].every(([p, end]) => committed.get(p) === end) || undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: `group ${t.groupId} committed the end of every partition` },
    );
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.logs.filter((l) => l.event === 'broker-unreachable' || l.level === 'fatal')).toEqual([]);

    const outputs = parseOutputs(await kcatConsumeJson(t.output, 120_000, client));
    checkOutputs(outputs, placed, t.input, { emitAll: false, allowDuplicates: false });
    const [raw, json] = await Promise.all([kcatConsumeRaw(t.dlq, 120_000, client), kcatConsumeJson(t.dlq, 120_000, client)]);
    checkDeadLetters(raw, json, placed, t.input, { allowDuplicates: false });
    // The generated mix has all three kinds, so "exact" above covered each.
    expect(outputs.length).toBeGreaterThan(0);
    expect(raw.length).toBeGreaterThan(0);
  }

  it('tags every record over SASL_SSL with SCRAM-SHA-512', async () => {
    await endToEnd('scram', 41, kcatScramIfSupported(b), b.saslSsl, sasl('scram-sha-512'));
  }, 300_000);

  it('tags every record over SASL_SSL with PLAIN', async () => {
    await endToEnd('plain', 42, kcatSasl(b, 'PLAIN'), b.saslSsl, sasl('plain'));
  }, 300_000);

  it('tags every record over mutual TLS', async () => {
    await endToEnd('mtls', 43, kcatMtls(b), b.mtls, mtls());
  }, 300_000);

  /** The worker must stop start-up by itself: exit 1, one fatal line, no "unreachable" retries. */
  async function refused(brokers: string, security: Record<string, string>): Promise<LogLine> {
    worker = startWorkerProcess({ KAFKA_BROKERS: brokers, FAULTLINE_INPUT_TOPICS: 'logs.secure', FAULTLINE_RULES: RULES_DIR, ...security });
    const code = await Promise.race([
      worker.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000).unref()),
    ]);
    expect(code, worker.stderrText().slice(-2000)).toBe(1);
    const fatal = worker.logs.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.event).toBe('start-failed');
    expect(worker.logs.filter((l) => l.event === 'broker-unreachable' || l.level === 'error')).toEqual([]);
    // The password never reaches the log.
    expect(worker.stderrText()).not.toContain(b.password);
    return fatal[0] as LogLine;
  }

  it('a wrong password stops start-up with one line naming SASL and the settings', async () => {
    const line = await refused(b.saslSsl, sasl('scram-sha-512', 'not-the-password'));
    expect(line.msg).toContain('SASL authentication failed for user "faultline" (scram-sha-512)');
    expect(line.msg).toContain('invalid credentials');
    expect(line.msg).toContain('FAULTLINE_KAFKA_SASL_PASSWORD');
  }, 90_000);

  it('a CA that did not sign the broker certificate stops start-up with one line', async () => {
    const line = await refused(b.saslSsl, sasl('scram-sha-512', b.password, b.file('other-ca.pem')));
    expect(line.msg).toContain(`the broker's certificate at ${b.saslSsl} is not signed by a CA this worker trusts`);
    expect(line.msg).toMatch(/unable to verify|self-signed certificate in certificate chain/);
    expect(line.msg).toContain('FAULTLINE_KAFKA_TLS_CA_FILE');
  }, 90_000);

  it('an expired broker certificate stops start-up with one line', async () => {
    const line = await refused(b.expired, { FAULTLINE_KAFKA_TLS_CA_FILE: b.file('ca.pem') });
    expect(line.msg).toContain(`the broker's certificate at ${b.expired} is outside its validity period (certificate has expired)`);
  }, 90_000);

  it('a broker address the certificate does not name stops start-up with one line', async () => {
    // "127.1" reaches 127.0.0.1 (inet_aton) but is no name or IP the certificate lists.
    const port = b.saslSsl.split(':')[1] ?? '';
    const line = await refused(`127.1:${port}`, sasl('plain'));
    expect(line.msg).toContain('does not name the host connected to');
    expect(line.msg).toContain('KAFKA_BROKERS');
  }, 90_000);

  it('mutual TLS without a client certificate stops start-up with one line', async () => {
    const line = await refused(b.mtls, { FAULTLINE_KAFKA_TLS_CA_FILE: b.file('ca.pem') });
    expect(line.msg).toContain(`the broker at ${b.mtls} requires a client certificate`);
    expect(line.msg).toContain('FAULTLINE_KAFKA_TLS_CERT_FILE');
  }, 90_000);

  it('an expired client certificate, or one from another CA, stops start-up with one line', async () => {
    for (const cert of ['client-expired', 'client-other']) {
      const line = await refused(b.mtls, mtls(cert));
      expect(line.msg).toContain(`the broker at ${b.mtls} refused this worker's client certificate ${b.file(`${cert}.pem`)}`);
      expect(line.msg).toContain('FAULTLINE_KAFKA_TLS_KEY_FILE');
      await killWorker(worker);
    }
  }, 120_000);
});
