import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaSetupError, saslOptions, tlsOptions, type KafkaConnection } from '../../src/kafka/client.js';

const base: KafkaConnection = { brokers: ['127.0.0.1:9092'], clientId: 'x', tls: false };

describe('Kafka connection options', () => {
  it('uses neither TLS nor SASL unless configured', () => {
    expect(tlsOptions(base)).toBeUndefined();
    expect(saslOptions(base)).toBeUndefined();
  });

  it('turns TLS on with the system CAs when only --tls is given', () => {
    expect(tlsOptions({ ...base, tls: true })).toBe(true);
  });

  it('reads the CA, certificate and key files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-tls-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const opts = tlsOptions({ ...base, tls: true, tlsCaFile: file('ca.pem', 'CA'), tlsCertFile: file('c.pem', 'CERT'), tlsKeyFile: file('k.pem', 'KEY') });
    expect(opts).toEqual({ ca: ['CA'], cert: 'CERT', key: 'KEY' });
  });

  it('names the setting of a file it cannot read', () => {
    expect(() => tlsOptions({ ...base, tlsCaFile: '/nonexistent/ca.pem' })).toThrow(/FAULTLINE_KAFKA_TLS_CA_FILE: cannot read \/nonexistent\/ca.pem/);
    expect(() => tlsOptions({ ...base, tlsCaFile: '/nonexistent/ca.pem' })).toThrow(KafkaSetupError);
  });

  it('maps each SASL mechanism', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      expect(saslOptions({ ...base, saslMechanism: mechanism, saslUsername: 'u', saslPassword: 'p' })).toEqual({ mechanism, username: 'u', password: 'p' });
    }
  });

  it('refuses SASL without credentials', () => {
    expect(() => saslOptions({ ...base, saslMechanism: 'plain', saslUsername: 'u' })).toThrow(KafkaSetupError);
  });
});
