// Which first-connection failures stop start-up: the errors are kafkajs's own classes, built the
// way its connection code builds them (the real-broker cases are in
// test/worker/secure-broker.kafka.test.ts); here the line between "fix your settings" and "the
// broker may come back" is pinned down, above all that an outage is never fatal.
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { explainAccessError } from '../../src/kafka/access-error.js';
import type { KafkaConnection } from '../../src/kafka/client.js';

const conn: KafkaConnection = { brokers: ['kafka-1:9093'], clientId: 'x', tls: true, tlsCaFile: '/etc/faultline/kafka/ca.pem' };

/** What kafkajs's connection throws for a socket error, wrapped by its retrier. */
function socketError(code: string, message: string): Error {
  const e = new KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'kafka-1:9093', code });
  return new KafkaJSNumberOfRetriesExceeded(e, { retryCount: 0, retryTime: 300 });
}

describe('explainAccessError', () => {
  it('leaves outages to the retry loop: refused, reset, timed out, unknown host', () => {
    expect(explainAccessError(socketError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:9093'), conn)).toBeUndefined();
    expect(explainAccessError(socketError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), conn)).toBeUndefined();
    expect(explainAccessError(new KafkaJSConnectionError('Connection timeout', { broker: 'kafka-1:9093' }), conn)).toBeUndefined();
    expect(explainAccessError(socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND kafka-1'), conn)).toBeUndefined();
    expect(explainAccessError(new Error('anything else'), conn)).toBeUndefined();
  });

  it('names the CA file when the chain does not lead to a trusted CA', () => {
    const line = explainAccessError(socketError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), conn);
    expect(line).toContain("the broker's certificate at kafka-1:9093 is not signed by a CA this worker trusts");
    expect(line).toContain('self-signed certificate in certificate chain; trusted: /etc/faultline/kafka/ca.pem');
    expect(line).toContain('FAULTLINE_KAFKA_TLS_CA_FILE');
    const system = explainAccessError(socketError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'), { ...conn, tlsCaFile: undefined });
    expect(system).toContain('trusted: the system CAs (FAULTLINE_KAFKA_TLS_CA_FILE is not set)');
  });

  it('tells a missing client certificate from a refused one', () => {
    const alert = 'error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate';
    expect(explainAccessError(socketError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', alert), conn)).toContain(
      'requires a client certificate (mutual TLS; TLS alert "bad certificate"); set FAULTLINE_KAFKA_TLS_CERT_FILE',
    );
    const withCert = { ...conn, tlsCertFile: '/etc/faultline/kafka/tls.crt', tlsKeyFile: '/etc/faultline/kafka/tls.key' };
    expect(explainAccessError(socketError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca'), withCert)).toContain(
      'refused this worker\'s client certificate /etc/faultline/kafka/tls.crt (TLS alert "unknown ca")',
    );
  });

  it('names the user and mechanism, never the password, when SASL fails', () => {
    // kafkajs's typings declare no constructor arguments, but its SASL authenticators pass the message.
    const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
    const err = new SaslError(
      'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
    const sasl = { ...conn, saslMechanism: 'scram-sha-512' as const, saslUsername: 'svc-faultline', saslPassword: 's3cret' };
    const line = explainAccessError(err, sasl) ?? '';
    expect(line).toBe(
      'SASL authentication failed for user "svc-faultline" (scram-sha-512) at kafka-1:9093: Authentication failed during authentication ' +
        'due to invalid credentials with SASL mechanism SCRAM-SHA-512; check FAULTLINE_KAFKA_SASL_USERNAME, FAULTLINE_KAFKA_SASL_PASSWORD and FAULTLINE_KAFKA_SASL_MECHANISM',
    );
    expect(line).not.toContain('s3cret');
  });
});
