import type { Random } from './random.js';
import type { DemoService } from './services.js';
import type { LogEvent } from './shapes.js';

const ROUTES: Record<string, readonly string[]> = {
  checkout: ['/api/cart', '/api/cart/items', '/api/checkout', '/api/orders'],
  payments: ['/payments/authorize', '/payments/capture', '/payments/refund'],
  search: ['/search', '/search/suggest', '/search/facets'],
  catalog: ['/products', '/products/:id', '/categories'],
  accounts: ['/v1/accounts/me', '/v1/sessions', '/v1/accounts/preferences'],
  storefront: ['/', '/product/:id', '/basket'],
  'edge-proxy': ['/api/cart', '/search', '/products', '/static/app.js'],
};

const EVENTS: Record<string, readonly string[]> = {
  checkout: ['order {id} placed total={amount} EUR', 'cart {id} updated items={n}'],
  payments: ['Payment {id} authorised in {ms} ms', 'Capture of payment {id} succeeded'],
  search: ['query served hits={n} took={ms}ms', 'index segment merged docs={n}'],
  catalog: ['product {id} price updated', 'cache refreshed entries={n}'],
  accounts: ['user {id} signed in', 'session {id} renewed'],
  storefront: ['rendered page in {ms} ms', 'basket {id} viewed'],
  'edge-proxy': ['upstream checkout healthy', 'config reloaded'],
};

const STATUSES = [200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 404] as const;
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT'] as const;

function fill(template: string, random: Random): string {
  return template
    .replaceAll('{id}', String(random.int(10_000, 99_999)))
    .replaceAll('{n}', String(random.int(1, 500)))
    .replaceAll('{ms}', String(random.int(2, 900)))
    .replaceAll('{amount}', `${random.int(5, 400)}.${String(random.int(0, 99)).padStart(2, '0')}`);
}

function nginxAccess(path: string, status: number, ms: number, time: Date, random: Random): string {
  const stamp = time.toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
  const ip = `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  return `${ip} - - [${stamp}] "GET ${path} HTTP/1.1" ${status} ${random.int(200, 40_000)} "-" "Mozilla/5.0" ${(ms / 1000).toFixed(3)}`;
}

/**
 * One ordinary line of `service`: mostly HTTP access lines, sometimes a business event. None of
 * them is an error signature (test/deploy checks that the rules match none).
 */
export function backgroundEvent(service: DemoService, time: Date, random: Random): LogEvent {
  const path = random.pick(ROUTES[service.name] ?? ['/']).replace(':id', String(random.int(1, 9999)));
  const status = random.pick(STATUSES);
  const ms = random.int(1, 350);
  if (service.name === 'edge-proxy' && random.chance(0.9)) {
    const line = nginxAccess(path, status, ms, time, random);
    return { level: 'info', message: line, raw: line };
  }
  if (random.chance(0.3)) return { level: 'info', message: fill(random.pick(EVENTS[service.name] ?? ['ok']), random) };
  return { level: status >= 400 ? 'warn' : 'info', message: `${random.pick(METHODS)} ${path} ${status} ${ms}ms` };
}
