/**
 * The shipped Alertmanager configuration (ops/alertmanager/alertmanager.yml) made runnable on
 * this machine: its routes and inhibition rules kept as they are, every receiver a webhook to
 * `webhookBase/<receiver name>` (a sink the demo or the test serves), and the route timings
 * shortened so that a notification comes seconds after Prometheus sends an alert rather than
 * minutes. The alert rules themselves (when an alert fires) are never touched.
 */
export interface RouteTimings {
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
}

interface Receiver {
  name: string;
  [kind: string]: unknown;
}

interface AlertmanagerConfig {
  route: Record<string, unknown>;
  receivers: Receiver[];
  [key: string]: unknown;
}

export function localAlertmanagerConfig(shipped: unknown, webhookBase: string, timings: RouteTimings): AlertmanagerConfig {
  const config = structuredClone(shipped) as AlertmanagerConfig;
  if (typeof config !== 'object' || config === null || !Array.isArray(config.receivers) || typeof config.route !== 'object') {
    throw new Error('not an Alertmanager configuration: expected route and receivers');
  }
  config.receivers = config.receivers.map((r) => ({
    name: r.name,
    webhook_configs: [{ url: `${webhookBase}/${encodeURIComponent(r.name)}`, send_resolved: true }],
  }));
  // Only the root sets timings in the shipped file; child routes inherit them. Any a child sets
  // are removed so that the whole tree runs on the short ones.
  const strip = (route: Record<string, unknown>) => {
    for (const key of Object.keys(timings)) delete route[key];
    for (const child of (route.routes as Record<string, unknown>[] | undefined) ?? []) strip(child);
  };
  strip(config.route);
  Object.assign(config.route, timings);
  return config;
}
