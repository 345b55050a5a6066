// Readies the group coordinator before the first test needs it. On a fresh broker the first
// FindCoordinator creates __consumer_offsets; kafkajs then backs off exponentially and a test's
// first consumer group takes ~5 s to join. Polling fast here takes ~0.5 s, once per run.
import { Kafka, logLevel } from 'kafkajs';

export async function warmUpGroupCoordinator(brokers: string[], timeoutMs = 30_000): Promise<void> {
  const admin = new Kafka({
    clientId: 'faultline-tests-warmup',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    await admin.connect();
    for (;;) {
      try {
        await admin.fetchOffsets({ groupId: 'faultline-tests-warmup', topics: [] });
        return;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const why = lastError instanceof Error ? lastError.message : String(lastError);
        throw new Error(`Kafka at ${brokers.join(',')} has no group coordinator after ${timeoutMs} ms: ${why}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
