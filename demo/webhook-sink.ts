import { createServer, type Server } from 'node:http';

/** One alert in an Alertmanager webhook notification (version 4 of its payload). */
export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** One POST from Alertmanager: the receiver it was routed to, and its alerts. */
export interface Notification {
  /** The receiver, from the URL path (/<receiver>). */
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
  receivedAt: number;
}

export interface WebhookSink {
  /** http://127.0.0.1:<port>: receivers post to <url>/<receiver name>. */
  url: string;
  readonly notifications: readonly Notification[];
  /** Called for each notification as it arrives. */
  onNotification(listener: (n: Notification) => void): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** A webhook receiver on 127.0.0.1 (a free port) that keeps every Alertmanager notification. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const notifications: Notification[] = [];
  const listeners: ((n: Notification) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) tooBig = true;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || tooBig) {
        res.writeHead(req.method !== 'POST' ? 405 : 413).end();
        return;
      }
      try {
        const payload = JSON.parse(body) as Omit<Notification, 'receiver' | 'receivedAt'>;
        const n: Notification = {
          receiver: decodeURIComponent((req.url ?? '/').slice(1)),
          status: payload.status,
          groupLabels: payload.groupLabels ?? {},
          alerts: payload.alerts ?? [],
          receivedAt: Date.now(),
        };
        notifications.push(n);
        for (const l of listeners) l(n);
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    notifications,
    onNotification: (l) => listeners.push(l),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
