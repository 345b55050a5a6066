// A worker on a real broker shows, at /templates, the template of an error no rule knows, with
// its count, services and an example with its Kafka offset; its metrics carry no log text.
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/kafka.js';
import { kcatProduceRaw } from '../worker/support/kcat-io.js';
import { createScenarioTopics, workerEnv } from '../worker/support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from '../worker/support/worker-process.js';

interface TemplatesBody {
  templates: Array<{ id: string; pattern: string; count: number; services: string[]; example: { text: string; source: { topic: string; partition: number; offset: string } } }>;
  live: number;
}

let worker: WorkerProcess | undefined;
afterAll(() => killWorker(worker));

describe('worker /templates', () => {
  it('shows the template of an unknown error that was produced, and counts it per service without log text', async () => {
    const s = await createScenarioTopics(2);
    const unknown = (i: number, svc: string) => JSON.stringify({ level: 'error', service: svc, message: `LeaseBroker: no lease granted for tenant t-${i} within ${1000 + i} ms` });
    const ordinary = (i: number) => JSON.stringify({ level: 'info', service: 'api', message: `request ${i} served in ${i % 17} ms` });
    const messages = [];
    for (let i = 0; i < 60; i++) messages.push({ key: `k${i}`, value: Buffer.from(i % 3 === 0 ? unknown(i, i % 2 === 0 ? 'billing' : 'api') : ordinary(i)) });
    await kcatProduceRaw(s.input, messages);

    worker = startWorkerProcess(workerEnv(s));
    const listening = await worker.waitForEvent('metrics-listening');
    const url = String(listening.url);
    const body = await waitUntil(
      async () => {
        const res = await fetch(`${url}/templates`);
        const b = (await res.json()) as TemplatesBody;
        return b.templates.find((t) => t.count === 20) === undefined ? undefined : b;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'the unknown error template at /templates' },
    );
    // Only the errors: info lines are not unknown errors.
    expect(body.templates).toHaveLength(1);
    const [t] = body.templates;
    expect(t?.pattern).toBe('LeaseBroker : no lease granted for tenant <*> within <*> ms');
    expect(t?.services).toEqual(['api', 'billing']);
    expect(t?.example.text).toMatch(/^LeaseBroker: no lease granted for tenant t-\d+ within \d+ ms$/);
    expect(t?.example.source.topic).toBe(s.input);
    expect(Number(t?.example.source.offset)).toBeGreaterThanOrEqual(0);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^faultline_unknown_error_templates 1$/m);
    const perService = [...metrics.matchAll(/^faultline_unknown_error_records_total\{service="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(perService)).toEqual({ api: 10, billing: 10 });
    expect(metrics).not.toContain('LeaseBroker');
  }, 180_000);
});
