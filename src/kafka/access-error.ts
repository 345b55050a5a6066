import type { KafkaConnection } from './client.js';

/**
 * Turns a failed first connection into one sentence an SRE can act on — the cause and the
 * setting to check — when the failure is a credential or TLS set-up problem. Those do not heal
 * by retrying, so the worker must not report them as "Kafka is unreachable" and wait forever.
 * Anything else (refused, reset, timed out, DNS) is `undefined`: a broker that may come back.
 */
export function explainAccessError(err: unknown, conn: KafkaConnection): string | undefined {
  for (const e of errorChain(err)) {
    const reason = explainOne(e, conn);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

interface ClientError {
  name: string;
  message: string;
  code?: unknown;
  type?: unknown;
  broker?: unknown;
}

/** kafkajs wraps the error that mattered (KafkaJSNumberOfRetriesExceeded → its `cause`). */
function errorChain(err: unknown): ClientError[] {
  const chain: ClientError[] = [];
  let e: unknown = err;
  while (e instanceof Error && chain.length < 8) {
    chain.push(e as ClientError);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

/** The broker's certificate chain does not lead to a CA we trust (Node's X509 codes). */
const UNTRUSTED_SERVER = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

const EXPIRED_SERVER = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * TLS alerts the broker sends when it refuses our client certificate (none given, unknown CA,
 * expired): OpenSSL's names as Node reports them. Java's broker answers "bad certificate" (42)
 * when none was sent and "certificate unknown" (46) for one it cannot verify.
 */
const CLIENT_CERT_REFUSED = /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNKNOWN_CA|CERTIFICATE_EXPIRED|CERTIFICATE_REQUIRED|ACCESS_DENIED|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED)$/;

function explainOne(e: ClientError, conn: KafkaConnection): string | undefined {
  const where = typeof e.broker === 'string' ? ` at ${e.broker}` : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = e.message.replace(/^Connection error: /, '').split('\n')[0]?.trim() ?? '';

  if (e.name === 'KafkaJSSASLAuthenticationError') {
    // kafkajs prefixes the broker's reason with its own "SASL SCRAM SHA512 authentication failed: ".
    const said = e.message.replace(/^SASL .*? authentication failed: /, '');
    return (
      `SASL authentication failed for user "${conn.saslUsername ?? ''}" (${conn.saslMechanism ?? '?'}) at ${conn.brokers.join(',')}: ${said}; ` +
      'check FAULTLINE_KAFKA_SASL_USERNAME, FAULTLINE_KAFKA_SASL_PASSWORD and FAULTLINE_KAFKA_SASL_MECHANISM'
    );
  }
  if (e.type === 'UNSUPPORTED_SASL_MECHANISM') {
    return `the broker does not offer SASL ${conn.saslMechanism ?? '?'}${where}: check FAULTLINE_KAFKA_SASL_MECHANISM`;
  }
  if (UNTRUSTED_SERVER.has(code)) {
    const trust = conn.tlsCaFile === undefined ? 'the system CAs (FAULTLINE_KAFKA_TLS_CA_FILE is not set)' : conn.tlsCaFile;
    return (
      `TLS: the broker's certificate${where} is not signed by a CA this worker trusts (${detail}; trusted: ${trust}); ` +
      "check FAULTLINE_KAFKA_TLS_CA_FILE: it must hold the CA that signed the broker's certificate"
    );
  }
  if (EXPIRED_SERVER.has(code)) {
    return (
      `TLS: the broker's certificate${where} is outside its validity period (${detail}); ` +
      'the broker certificate must be renewed, or KAFKA_BROKERS points at the wrong listener'
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return (
      `TLS: the broker's certificate${where} does not name the host connected to (${detail}); ` +
      'check KAFKA_BROKERS: use a host name or IP the certificate lists'
    );
  }
  if (CLIENT_CERT_REFUSED.test(code)) {
    const alert = code.replace(/^ERR_SSL_\w+?_ALERT_/, '').toLowerCase().replaceAll('_', ' ');
    if (conn.tlsCertFile === undefined) {
      return (
        `TLS: the broker${where} requires a client certificate (mutual TLS; TLS alert "${alert}"); ` +
        'set FAULTLINE_KAFKA_TLS_CERT_FILE and FAULTLINE_KAFKA_TLS_KEY_FILE'
      );
    }
    return (
      `TLS: the broker${where} refused this worker's client certificate ${conn.tlsCertFile} (TLS alert "${alert}"); ` +
      "check FAULTLINE_KAFKA_TLS_CERT_FILE and FAULTLINE_KAFKA_TLS_KEY_FILE: a certificate signed by a CA in the broker's truststore, not expired"
    );
  }
  return undefined;
}
