import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { DEMO_USAGE, parseDemoOptions } from '../../src/demo/options.js';

const env = { KAFKA_BROKERS: '127.0.0.1:9092' };

describe('demo producer options', () => {
  it('come from the config module: defaults, environment, and flags over the environment', () => {
    const d = parseDemoOptions([], env);
    expect(d).toMatchObject({ topic: 'logs.app', partitions: 3, schedule: { rate: 20, burstEveryMs: 15_000, burstSize: 30 } });
    expect(d.durationS).toBeUndefined();
    expect(d.config.clientId).toBe('faultline-demo');
    const e = parseDemoOptions(['--rate', '5', '--duration', '60'], { ...env, FAULTLINE_DEMO_RATE: '50', FAULTLINE_DEMO_TOPIC: 'logs.shop', FAULTLINE_DEMO_SEED: '7', FAULTLINE_DEMO_BURST_EVERY: '2.5' });
    expect(e).toMatchObject({ topic: 'logs.shop', durationS: 60, schedule: { rate: 5, seed: 7, burstEveryMs: 2500 } });
    expect(parseDemoOptions(['--brokers', 'k1:9092,k2:9092'], {}).config.brokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('refuses bad values with one line each, naming the variable and the flag', () => {
    let caught: unknown;
    try {
      parseDemoOptions(['--topic', 'no spaces', '--partitions', '0'], { FAULTLINE_DEMO_BURST_SIZE: '5000' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const lines = (caught as ConfigError).problems;
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('FAULTLINE_DEMO_TOPIC (--topic): '))).toBe(true);
    expect(lines.some((l) => l.startsWith('FAULTLINE_DEMO_PARTITIONS (--partitions): '))).toBe(true);
    expect(lines.some((l) => l.startsWith('FAULTLINE_DEMO_BURST_SIZE (--burst-size): '))).toBe(true);
    expect(lines).toContain('KAFKA_BROKERS (--brokers): required');
  });

  it('a broker list that is given but wrong is reported once, not also as missing', () => {
    expect(() => parseDemoOptions(['--brokers', 'nohost'], {})).toThrow(ConfigError);
    try {
      parseDemoOptions(['--brokers', 'nohost'], {});
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(1);
      expect((err as ConfigError).problems[0]).toMatch(/^KAFKA_BROKERS \(--brokers\): .*pattern/);
    }
  });

  it('refuses an unknown flag, and its usage lists every flag it accepts', () => {
    expect(() => parseDemoOptions(['--speed', '3'], env)).toThrow(/--speed/);
    for (const flag of ['--brokers', '--topic', '--partitions', '--rate', '--burst-every', '--burst-size', '--seed', '--duration']) {
      expect(DEMO_USAGE).toContain(flag);
      expect(() => parseDemoOptions(flag === '--topic' ? [flag, 'x.y'] : flag === '--brokers' ? [flag, 'h:1'] : [flag, '3'], env)).not.toThrow();
    }
  });
});
