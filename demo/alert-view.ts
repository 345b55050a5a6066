import type { Notification } from './webhook-sink.js';

/** An alert Prometheus holds (GET /api/v1/alerts): pending or firing. */
export interface ActiveAlert {
  state: string;
  labels: Record<string, string>;
  activeAt: string;
}

export async function activeAlerts(prometheusUrl: string): Promise<ActiveAlert[] | undefined> {
  try {
    const res = await fetch(`${prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json()) as { data?: { alerts?: ActiveAlert[] } };
    return body.data?.alerts ?? [];
  } catch {
    return undefined;
  }
}

export function alertLine(a: ActiveAlert): string {
  const who = [a.labels.service, a.labels.error_id].filter((x) => x !== undefined).join(' ');
  return `${a.state.toUpperCase().padEnd(7)} ${a.labels.alertname ?? '?'} ${who} (since ${a.activeAt.slice(11, 19)})`;
}

/** What Alertmanager sent: one line per alert of a notification. */
export function notificationLines(n: Notification): string[] {
  return n.alerts.map(
    (a) =>
      `Alertmanager → ${n.receiver}: ${a.status.toUpperCase()} ${a.labels.alertname ?? '?'} service=${a.labels.service ?? '-'} error_id=${a.labels.error_id ?? '-'}` +
      (a.status === 'firing' && a.annotations.root_cause ? ` | cause: ${a.annotations.root_cause} | fix: ${a.annotations.workaround ?? ''}` : ''),
  );
}
