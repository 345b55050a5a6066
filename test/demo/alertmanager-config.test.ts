import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { localAlertmanagerConfig } from '../../demo/alertmanager-config.js';

const SHIPPED = parse(readFileSync(fileURLToPath(new URL('../../ops/alertmanager/alertmanager.yml', import.meta.url)), 'utf8')) as {
  route: { routes: Array<Record<string, unknown>> } & Record<string, unknown>;
  receivers: Array<{ name: string }>;
  inhibit_rules: unknown[];
};
const TIMINGS = { group_wait: '1s', group_interval: '2s', repeat_interval: '1h' };

describe('localAlertmanagerConfig', () => {
  it('points every shipped receiver at the local webhook, with send_resolved', () => {
    const local = localAlertmanagerConfig(SHIPPED, 'http://127.0.0.1:9999/hook', TIMINGS);
    expect(local.receivers.map((r) => r.name)).toEqual(SHIPPED.receivers.map((r) => r.name));
    for (const r of local.receivers) {
      expect(r).toEqual({ name: r.name, webhook_configs: [{ url: `http://127.0.0.1:9999/hook/${encodeURIComponent(r.name)}`, send_resolved: true }] });
    }
  });

  it('keeps routes, matchers and inhibition as shipped, and runs the whole tree on the short timings', () => {
    const local = localAlertmanagerConfig(SHIPPED, 'http://127.0.0.1:1/h', TIMINGS);
    expect(local.inhibit_rules).toEqual(SHIPPED.inhibit_rules);
    expect(local.route).toMatchObject({ receiver: SHIPPED.route.receiver, group_by: SHIPPED.route.group_by, ...TIMINGS });
    const withChildTiming = structuredClone(SHIPPED);
    withChildTiming.route.routes[0]!.group_wait = '10m';
    const stripped = localAlertmanagerConfig(withChildTiming, 'http://127.0.0.1:1/h', TIMINGS).route as { routes: Array<Record<string, unknown>> };
    expect(stripped.routes[0]!.group_wait).toBeUndefined();
    expect(stripped.routes.map((r) => r.matchers)).toEqual(SHIPPED.route.routes.map((r) => r.matchers));
  });

  it('does not change the shipped object', () => {
    const before = structuredClone(SHIPPED);
    localAlertmanagerConfig(SHIPPED, 'http://127.0.0.1:1/h', TIMINGS);
    expect(SHIPPED).toEqual(before);
  });

  it('refuses what is not an Alertmanager configuration', () => {
    expect(() => localAlertmanagerConfig({ route: {} }, 'http://x', TIMINGS)).toThrow(/route and receivers/);
    expect(() => localAlertmanagerConfig(null, 'http://x', TIMINGS)).toThrow();
  });
});
