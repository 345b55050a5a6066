import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ReadinessStatus } from './readiness.js';
import type { HealthStatus } from './loop-lag.js';

/**
 * The worker's only HTTP surface: /metrics for Prometheus, /healthz for liveness, /readyz for
 * readiness, /templates for the templates of unknown errors (when mined). GET and HEAD only; nothing here reads a request body or carries user input into a
 * response, so plain node:http is all it needs.
 */

export interface OpsServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  registry: Registry;
  readiness: () => ReadinessStatus;
  health: () => HealthStatus;
  /** JSON for /templates (unknown-error templates); the route answers 404 when absent. */
  templates?: () => unknown;
  /** Called with errors that escape a request (a failing metric collector); default: ignored. */
  onError?: (error: unknown) => void;
}

export interface OpsServer {
  readonly host: string;
  readonly port: number;
  /** http://host:port, for logs and tests. */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then drops the rest. */
  close(graceMs?: number): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) reply(req, res, 500, TEXT, 'internal error\n');
      else res.destroy();
    });
  });
  // Scrapes and probes are tiny: a client that dawdles is not one we want to wait for.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address;
  const urlHost = address.family === 'IPv6' ? `[${host}]` : host;
  return {
    host,
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    close: (graceMs = 5_000) => close(server, graceMs),
  };
}

async function handle(options: OpsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  const templates = path === '/templates' ? options.templates : undefined;
  if (path !== '/metrics' && path !== '/healthz' && path !== '/readyz' && templates === undefined) {
    reply(req, res, 404, TEXT, 'not found: try /metrics, /healthz or /readyz\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    reply(req, res, 405, TEXT, 'method not allowed\n');
    return;
  }
  if (templates !== undefined) {
    reply(req, res, 200, 'application/json; charset=utf-8', `${JSON.stringify(templates())}\n`);
  } else if (path === '/metrics') {
    const body = await options.registry.metrics();
    reply(req, res, 200, options.registry.contentType, body);
  } else if (path === '/healthz') {
    const h = options.health();
    reply(req, res, h.ok ? 200 : 503, TEXT, `${h.ok ? 'ok' : 'unhealthy'}: event loop lag ${Math.round(h.lagMs)} ms\n`);
  } else {
    const r = options.readiness();
    reply(req, res, r.ready ? 200 : 503, TEXT, r.ready ? 'ready\n' : `not ready: ${r.reasons.join('; ')}\n`);
  }
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(req.method === 'HEAD' ? undefined : body);
}

function close(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    // Keep-alive connections with no request in flight would otherwise hold close() open.
    server.closeIdleConnections();
  });
}
