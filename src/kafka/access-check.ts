import { Kafka, logLevel } from 'kafkajs';
import { explainAccessError } from './access-error.js';
import { kafkaConfig, KafkaSetupError, type KafkaConnection } from './client.js';

/**
 * One connection attempt before the worker starts consuming: a wrong password, an untrusted or
 * expired broker certificate or a refused client certificate stops start-up with one line
 * (KafkaSetupError) naming the cause and the setting. Any other failure returns quietly: the
 * broker may be down or restarting, and the worker's own loop waits for it with backoff.
 *
 * Its own client, with no retries and no client logging: kafkajs would retry a TLS failure for
 * ~10 s and log each attempt, where one attempt already says everything.
 */
export async function checkKafkaAccess(conn: KafkaConnection): Promise<void> {
  const config = kafkaConfig(conn, () => undefined, 'error');
  const kafka = new Kafka({ ...config, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
  } catch (err) {
    const reason = explainAccessError(err, conn);
    if (reason !== undefined) throw new KafkaSetupError(reason, { cause: err });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
