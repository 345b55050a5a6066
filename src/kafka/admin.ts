import kafkajs, { type Admin, type Kafka } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader does not see this enum as a named export.
const { ConfigResourceTypes } = kafkajs;
import type { ClusterAdmin } from './types.js';

/** Admin calls on a connection opened on first use and reopened after a failure. */
export class KafkajsAdmin implements ClusterAdmin {
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  async listTopics(): Promise<string[]> {
    return this.call((admin) => admin.listTopics());
  }

  /**
   * One describeConfigs per topic: a topic that does not exist (yet) or that we may not describe
   * fails only its own look-up, and is left to the caller's fallback.
   */
  async maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const topic of topics) {
      let found: string | undefined;
      try {
        const res = await this.call((admin) =>
          admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }] }),
        );
        found = res.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue;
      } catch {
        continue;
      }
      const bytes = Number(found);
      if (found !== undefined && Number.isSafeInteger(bytes) && bytes > 0) out.set(topic, bytes);
    }
    return out;
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
