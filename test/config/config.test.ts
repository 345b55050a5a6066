import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/config.js';
import { OPTIONS } from '../../src/config/options.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('applies defaults and coerces strings from the environment', () => {
    const c = resolveConfig('worker', {
      brokers: '127.0.0.1:9092, 127.0.0.1:9093',
      inputTopics: 'logs\\..*,app-logs',
      metricsPort: '9500',
      fromBeginning: 'true',
    });
    expect(c.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(c.inputTopics).toEqual(['logs\\..*', 'app-logs']);
    expect(c.metricsPort).toBe(9500);
    expect(c.fromBeginning).toBe(true);
    expect(c.outputTopic).toBe('faultline.matches');
    expect(c.dlqTopic).toBe('faultline.dlq');
    expect(c.groupId).toBe('faultline');
    expect(c.rules).toEqual(['rules']);
  });

  it('reports every problem, one line each, naming the variable and the flag', () => {
    const problems = problemsOf(() =>
      resolveConfig('worker', { metricsPort: '70000', emit: 'some', outputTopic: 'bad topic!' }),
    );
    expect(problems).toHaveLength(5);
    expect(problems).toContain('KAFKA_BROKERS (--brokers): required');
    expect(problems).toContain('FAULTLINE_INPUT_TOPICS (--input-topics): required');
    expect(problems.find((p) => p.startsWith('FAULTLINE_METRICS_PORT (--metrics-port)'))).toMatch(/<= 65535.*"70000"/);
    expect(problems.find((p) => p.startsWith('FAULTLINE_EMIT'))).toMatch(/one of matched, all/);
    expect(problems.find((p) => p.startsWith('FAULTLINE_OUTPUT_TOPIC'))).toMatch(/pattern/);
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('never prints a secret back', () => {
    const problems = problemsOf(() =>
      resolveConfig('worker', { brokers: 'k:9092', inputTopics: 'a', saslMechanism: 'md5', saslPassword: 's3cret' }),
    );
    expect(problems.join('\n')).not.toContain('s3cret');
    expect(problems.some((p) => p.startsWith('FAULTLINE_KAFKA_SASL_MECHANISM'))).toBe(true);
  });

  it('checks settings that go together', () => {
    const problems = problemsOf(() =>
      resolveConfig('worker', { brokers: 'k:9092', inputTopics: 'a', saslMechanism: 'plain', tlsCertFile: 'c.pem' }),
    );
    expect(problems.some((p) => p.includes('SASL_USERNAME'))).toBe(true);
    expect(problems.some((p) => p.includes('TLS_CERT_FILE and FAULTLINE_KAFKA_TLS_KEY_FILE'))).toBe(true);
  });

  it('turns TLS on when a CA file is given', () => {
    const c = resolveConfig('worker', { brokers: 'k:9092', inputTopics: 'a', tlsCaFile: '/etc/ca.pem' });
    expect(c.tls).toBe(true);
  });

  it('scan needs no Kafka settings and ignores them', () => {
    const c = resolveConfig('scan', { brokers: 'not a broker' });
    expect(c.brokers).toBeUndefined();
    expect(c.maxRecordBytes).toBe(1024 * 1024);
  });

  it('every option has a flag whose camelCase name is its key, as commander derives it', () => {
    for (const o of OPTIONS) {
      const long = o.flag.split(' ')[0]!.replace(/^--/, '');
      const camel = long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      expect(camel).toBe(o.key);
    }
  });
});

describe('resolveConfig precedence', () => {
  it('takes a flag over the environment, and the environment over the default', () => {
    const env = { KAFKA_BROKERS: 'env:9092', FAULTLINE_INPUT_TOPICS: 'from-env', FAULTLINE_GROUP_ID: 'g-env' };
    const c = resolveConfig('worker', { groupId: 'g-flag' }, env);
    expect(c.groupId).toBe('g-flag');
    expect(c.brokers).toEqual(['env:9092']);
    expect(c.inputTopics).toEqual(['from-env']);
    expect(c.clientId).toBe('faultline');
  });

  it('reads booleans from the environment by value, not by presence', () => {
    const base = { KAFKA_BROKERS: 'k:9092', FAULTLINE_INPUT_TOPICS: 't' };
    expect(resolveConfig('worker', {}, { ...base, FAULTLINE_FROM_BEGINNING: 'false' }).fromBeginning).toBe(false);
    expect(resolveConfig('worker', {}, { ...base, FAULTLINE_FROM_BEGINNING: 'true' }).fromBeginning).toBe(true);
    expect(() => resolveConfig('worker', {}, { ...base, FAULTLINE_FROM_BEGINNING: 'maybe' })).toThrow(ConfigError);
  });
});

describe('record and write limits', () => {
  const base = { KAFKA_BROKERS: 'k:9092', FAULTLINE_INPUT_TOPICS: 't' };

  it('limits keys and headers by default and leaves the write limit to the broker', () => {
    const c = resolveConfig('worker', {}, base);
    expect([c.maxKeyBytes, c.maxHeaders, c.maxHeaderBytes]).toEqual([65536, 100, 65536]);
    expect(c.maxMessageBytes).toBeUndefined();
    expect(resolveConfig('worker', {}, { ...base, FAULTLINE_MAX_MESSAGE_BYTES: '2000000' }).maxMessageBytes).toBe(2_000_000);
  });

  it('refuses limits that are not sizes, one line each', () => {
    expect(() => resolveConfig('worker', {}, { ...base, FAULTLINE_MAX_KEY_BYTES: '-1', FAULTLINE_MAX_HEADERS: 'many', FAULTLINE_MAX_MESSAGE_BYTES: '10' })).toThrow(
      /FAULTLINE_MAX_KEY_BYTES \(--max-key-bytes\): must be >= 0[\s\S]*FAULTLINE_MAX_HEADERS[\s\S]*FAULTLINE_MAX_MESSAGE_BYTES \(--max-message-bytes\): must be >= 1024/,
    );
  });
});

describe('field paths', () => {
  it('accepts quoted segments and alternatives, and rejects a malformed path at start-up', () => {
    const ok = resolveConfig('scan', { serviceFields: 'kubernetes.labels["app.kubernetes.io/name"],svc', messageFields: '@m|@mt' });
    expect(ok.serviceFields).toEqual(['kubernetes.labels["app.kubernetes.io/name"]', 'svc']);
    const problems = problemsOf(() => resolveConfig('scan', { errorFields: 'err..stack', messageFields: 'labels["x' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^FAULTLINE_MESSAGE_FIELDS \(--message-fields\): field path .*unclosed/);
    expect(problems[1]).toMatch(/^FAULTLINE_ERROR_FIELDS \(--error-fields\): field path "err\.\.stack"/);
  });
});

describe('tuning', () => {
  const base = { KAFKA_BROKERS: 'k:9092', FAULTLINE_INPUT_TOPICS: 't' };
  it('parses the JSON knobs', () => {
    const c = resolveConfig('worker', {}, { ...base, FAULTLINE_TUNING: '{"sessionTimeoutMs": 10000, "maxBytesPerPartition": 65536}' });
    expect(c.tuning).toEqual({ sessionTimeoutMs: 10000, maxBytesPerPartition: 65536 });
  });
  it('rejects bad JSON, unknown knobs and bad values, one line each', () => {
    expect(problemsOf(() => resolveConfig('worker', {}, { ...base, FAULTLINE_TUNING: '{nope' }))).toEqual([
      'FAULTLINE_TUNING (--tuning): is not valid JSON',
    ]);
    const problems = problemsOf(() => resolveConfig('worker', {}, { ...base, FAULTLINE_TUNING: '{"fetch": 1, "sessionTimeoutMs": -5}' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^FAULTLINE_TUNING \(--tuning\): .*unknown key fetch.*sessionTimeoutMs must be >= 1/);
  });
});
