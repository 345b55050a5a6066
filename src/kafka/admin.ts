import type { Admin, Kafka } from 'kafkajs';
import type { ClusterAdmin } from './types.js';

/** Admin calls on a connection opened on first use and reopened after a failure. */
export class KafkajsAdmin implements ClusterAdmin {
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  async listTopics(): Promise<string[]> {
    return this.call((admin) => admin.listTopics());
  }

  async disconnect(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect();
  }

  private async call<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    if (this.admin === undefined) {
      const admin = this.kafka.admin({ retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 5000 } });
      await admin.connect();
      this.admin = admin;
    }
    try {
      return await fn(this.admin);
    } catch (err) {
      await this.disconnect().catch(() => undefined);
      throw err;
    }
  }
}
