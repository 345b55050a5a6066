import { afterEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { Registry, Counter } from 'prom-client';
import { startOpsServer, type OpsServer } from '../../src/http/server.js';
import { startOps, type Ops } from '../../src/http/ops.js';
import type { ReadinessStatus } from '../../src/http/readiness.js';
import type { HealthStatus } from '../../src/http/loop-lag.js';
import { parseExposition, seriesOf } from '../metrics/exposition.js';
import { batch, record, rulesReport } from '../metrics/fixtures.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, method = 'GET', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ...(agent ? { agent } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function server(state: { readiness: ReadinessStatus; health: HealthStatus; registry?: Registry }): Promise<OpsServer> {
  const s = await startOpsServer({
    host: '127.0.0.1',
    port: 0,
    registry: state.registry ?? new Registry(),
    readiness: () => state.readiness,
    health: () => state.health,
  });
  closers.push(() => s.close());
  return s;
}

describe('ops HTTP server', () => {
  it('serves /metrics in the Prometheus text format', async () => {
    const registry = new Registry();
    new Counter({ name: 'demo_total', help: 'demo', registers: [registry] }).inc(3);
    const s = await server({ readiness: { ready: true, reasons: [] }, health: { ok: true, lagMs: 1 }, registry });
    const r = await call(`${s.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.body).toContain('# TYPE demo_total counter\ndemo_total 3\n');
    const q = await call(`${s.url}/metrics?name[]=x`);
    expect(q.status).toBe(200);
  });

  it('answers /readyz and /healthz with 200 or 503 and the reasons', async () => {
    const state = { readiness: { ready: false, reasons: ['rules not loaded'] } as ReadinessStatus, health: { ok: true, lagMs: 3.4 } };
    const s = await server(state);
    expect(await call(`${s.url}/readyz`)).toMatchObject({ status: 503, body: 'not ready: rules not loaded\n' });
    expect(await call(`${s.url}/healthz`)).toMatchObject({ status: 200, body: 'ok: event loop lag 3 ms\n' });
    state.readiness = { ready: true, reasons: [] };
    state.health = { ok: false, lagMs: 7000 };
    expect(await call(`${s.url}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' });
    expect(await call(`${s.url}/healthz`)).toMatchObject({ status: 503, body: 'unhealthy: event loop lag 7000 ms\n' });
  });

  it('answers HEAD without a body, 405 for other methods and 404 elsewhere', async () => {
    const s = await server({ readiness: { ready: true, reasons: [] }, health: { ok: true, lagMs: 0 } });
    const head = await call(`${s.url}/readyz`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe('6');
    const post = await call(`${s.url}/metrics`, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await call(`${s.url}/`)).status).toBe(404);
    expect((await call(`${s.url}/metrics/extra`)).status).toBe(404);
  });

  it('returns 500 when collecting metrics throws, and keeps serving', async () => {
    const registry = new Registry();
    let broken = true;
    new Counter({
      name: 'flaky_total',
      help: 'flaky',
      registers: [registry],
      collect() {
        if (broken) throw new Error('collector failed');
      },
    });
    const errors: unknown[] = [];
    const s = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      readiness: () => ({ ready: true, reasons: [] }),
      health: () => ({ ok: true, lagMs: 0 }),
      onError: (e) => errors.push(e),
    });
    closers.push(() => s.close());
    expect((await call(`${s.url}/metrics`)).status).toBe(500);
    expect(errors).toHaveLength(1);
    broken = false;
    expect((await call(`${s.url}/metrics`)).status).toBe(200);
  });

  it('closes promptly even with an idle keep-alive connection open, and then refuses connections', async () => {
    const agent = new Agent({ keepAlive: true });
    const s = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      readiness: () => ({ ready: true, reasons: [] }),
      health: () => ({ ok: true, lagMs: 0 }),
    });
    expect((await call(`${s.url}/healthz`, 'GET', agent)).status).toBe(200);
    await s.close(60_000);
    await expect(call(`${s.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });

  it('rejects when the port is taken', async () => {
    const s = await server({ readiness: { ready: true, reasons: [] }, health: { ok: true, lagMs: 0 } });
    await expect(
      startOpsServer({
        host: '127.0.0.1',
        port: s.port,
        registry: new Registry(),
        readiness: () => ({ ready: true, reasons: [] }),
        health: () => ({ ok: true, lagMs: 0 }),
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('startOps', () => {
  it('wires registry, observer, readiness and health behind one server', async () => {
    const ops: Ops = await startOps({
      host: '127.0.0.1',
      port: 0,
      serviceLabelLimit: 10,
      brokerDownGraceMs: 30_000,
      maxLoopLagMs: 60_000,
      topics: ['logs.app'],
    });
    closers.push(() => ops.close());
    const url = ops.server.url;
    expect((await call(`${url}/healthz`)).status).toBe(200);
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 503, body: 'not ready: rules not loaded; consumer has not joined its group\n' });

    ops.observer.rulesLoaded(rulesReport());
    expect((await call(`${url}/readyz`)).body).toBe('not ready: consumer has not joined its group\n');
    ops.observer.brokerConnection(true);
    ops.observer.groupJoined();
    ops.observer.rebalance('assigned', 1);
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' });
    ops.observer.rebalance('revoked', 1);
    expect((await call(`${url}/readyz`)).status).toBe(503);
    ops.observer.groupJoined();
    expect((await call(`${url}/readyz`)).status).toBe(200);

    ops.observer.batch(batch({ matched: [record('checkout', ['java/hikari-connection-timeout'], ['pool-starvation'])] }));
    await call(`${url}/metrics`);
    const e = parseExposition((await call(`${url}/metrics`)).body);
    expect(seriesOf(e, 'faultline_pool_starvation_events_total')['error_id=java/hikari-connection-timeout,service=checkout']).toBe(1);
    expect(seriesOf(e, 'faultline_ready')).toEqual({ '': 1 });
    expect(e.types.get('process_cpu_seconds_total')).toBe('counter');
  });
});
