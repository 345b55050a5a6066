/**
 * `npm run demo`: Kafka (local, Docker-free), a faultline worker and the demo log producer, with
 * live counts read from the worker's /metrics, the latest tagged events (read back from the
 * worker's output topic) and, when Prometheus and Alertmanager are installed, servers of its own
 * running the shipped alert rules and routes: which alerts are pending or firing and what
 * Alertmanager sends. Until Ctrl-C or --duration. Stops exactly what it started: a broker that
 * was already running is left alone.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRunArgs, RUN_USAGE, type RunArgs } from './args.js';
import { startChild, type Child } from './child.js';
import { ensureLocalKafka, type LocalKafka } from './local-kafka.js';
import { countsLine, demoCounts, type DemoCounts } from './metrics-text.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { findAlertBinaries, HOW_TO_GET_ALERTING } from './alert-binaries.js';
import { localAlertmanagerConfig } from './alertmanager-config.js';
import { startAlertStack, type AlertStack } from './alert-stack.js';
import { activeAlerts, alertLine, notificationLines } from './alert-view.js';
import { Screen } from './screen.js';
import { eventLine, followTaggedEvents, type EventSummary } from './tagged-events.js';
import { startWebhookSink, type WebhookSink } from './webhook-sink.js';
import { workerNodeFlags } from '../scripts/worker-node-flags.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORKER_GRACE_MS = 25_000;
const screen = new Screen(process.stdout);
const say = (line: string) => screen.say(line);
/** The worker's output topic (its default, FAULTLINE_OUTPUT_TOPIC). */
const OUTPUT_TOPIC = 'faultline.matches';
const SHOWN_EVENTS = 8;
const SHOWN_NOTIFICATIONS = 4;
const SHOWN_ALERTS = 10;

/** Firing first, then pending; past SHOWN_ALERTS one line says how many more, so the block fits a terminal. */
function shownAlerts(lines: readonly string[]): string[] {
  const ordered = [...lines.filter((l) => l.startsWith('FIRING')), ...lines.filter((l) => !l.startsWith('FIRING'))];
  if (ordered.length <= SHOWN_ALERTS) return ordered;
  const rest = ordered.slice(SHOWN_ALERTS - 1);
  const firing = rest.filter((l) => l.startsWith('FIRING')).length;
  return [...ordered.slice(0, SHOWN_ALERTS - 1), `… ${rest.length} more (${firing} firing, ${rest.length - firing} pending)`];
}

async function readCounts(url: string): Promise<DemoCounts | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.ok ? demoCounts(await res.text()) : undefined;
  } catch {
    return undefined; // not up yet
  }
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...extra };
}

async function main(args: RunArgs): Promise<number> {
  for (const file of ['dist/cli/main.js', 'dist/demo/main.js']) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  let stopWhy: string | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const requestStop = (why: string) => {
    stopWhy ??= why;
    wake();
  };
  process.on('SIGINT', () => requestStop('Ctrl-C'));
  process.on('SIGTERM', () => requestStop('SIGTERM'));

  const children: Child[] = [];
  // Last resort if this process dies with children still up: they are in their own groups.
  process.on('exit', () => children.filter((c) => c.running()).forEach((c) => process.kill(c.pid, 'SIGKILL')));

  let kafka: LocalKafka | undefined;
  let viewer: { stop(): Promise<void> } | undefined;
  let stack: AlertStack | undefined;
  let sink: WebhookSink | undefined;
  let failed = false;
  try {
    const brokers = args.brokers ?? (kafka = await ensureLocalKafka(ROOT, args.kafkaPort, say)).bootstrap;
    const logDir = mkdtempSync(path.join(tmpdir(), 'faultline-demo-'));
    const metricsUrl = `http://127.0.0.1:${args.metricsPort}/metrics`;
    const worker = startChild(
      'worker',
      process.execPath,
      [...workerNodeFlags(ROOT), path.join(ROOT, 'dist/cli/main.js'), 'worker'],
      childEnv({
        KAFKA_BROKERS: brokers,
        FAULTLINE_INPUT_TOPICS: args.inputTopics,
        FAULTLINE_GROUP_ID: args.group,
        FAULTLINE_FROM_BEGINNING: 'true',
        FAULTLINE_METRICS_HOST: '127.0.0.1',
        FAULTLINE_METRICS_PORT: String(args.metricsPort),
        FAULTLINE_OUTPUT_TOPIC: OUTPUT_TOPIC,
        FAULTLINE_SHUTDOWN_GRACE_MS: String(WORKER_GRACE_MS),
      }),
      path.join(logDir, 'worker.log'),
      ROOT,
    );
    children.push(worker);
    const producer = startChild(
      'producer',
      process.execPath,
      [path.join(ROOT, 'dist/demo/main.js'), '--topic', args.topic, '--rate', String(args.rate), '--burst-every', String(args.burstEveryS)],
      childEnv({ KAFKA_BROKERS: brokers }),
      path.join(logDir, 'producer.log'),
      ROOT,
    );
    children.push(producer);
    say(`worker (pid ${worker.pid}) consumes ${args.inputTopics} from ${brokers} as group ${args.group}; metrics ${metricsUrl}`);
    say(`producer (pid ${producer.pid}) writes ${args.topic}; logs of both in ${logDir}`);
    say(args.durationS === undefined ? 'Ctrl-C to stop.' : `stopping after ${args.durationS} s (or Ctrl-C).`);
    if (args.durationS !== undefined) setTimeout(() => requestStop('duration reached'), args.durationS * 1000).unref();
    for (const child of children) {
      void child.exited.then((how) => {
        if (stopWhy !== undefined) return;
        failed = true;
        say(`${child.name} exited unexpectedly (${how}); last lines of ${child.logFile}:\n${child.logTail()}`);
        requestStop(`${child.name} exited`);
      });
    }

    const events: EventSummary[] = [];
    viewer = await followTaggedEvents(brokers, OUTPUT_TOPIC, (e) => {
      events.push(e);
      if (events.length > SHOWN_EVENTS) events.shift();
      if (!screen.tty) say(`event  ${eventLine(e)}`);
    });
    const notices: string[] = [];
    const binaries = findAlertBinaries();
    if (binaries === undefined) say(HOW_TO_GET_ALERTING);
    else {
      sink = await startWebhookSink();
      sink.onNotification((n) => {
        for (const line of notificationLines(n)) {
          notices.push(line);
          if (notices.length > SHOWN_NOTIFICATIONS) notices.shift();
          if (!screen.tty) say(line);
        }
      });
      const shipped = parse(readFileSync(path.join(ROOT, 'ops/alertmanager/alertmanager.yml'), 'utf8')) as unknown;
      stack = await startAlertStack({
        binaries,
        root: ROOT,
        targets: [`127.0.0.1:${args.metricsPort}`],
        interval: '5s',
        alertmanagerConfig: localAlertmanagerConfig(shipped, sink.url, { group_wait: '5s', group_interval: '15s', repeat_interval: '4h' }),
      });
      await stack.ready(60_000);
      say(`alerts: Prometheus ${stack.prometheusUrl} (ops/prometheus/alerts.yml), Alertmanager ${stack.alertmanagerUrl} (ops/alertmanager/alertmanager.yml, receivers → this demo); data in ${stack.dir}`);
    }

    const started = Date.now();
    let previous: DemoCounts | undefined;
    let countsText = 'worker metrics not up yet';
    let alertsText: string[] = [];
    let nextCounts = 0;
    while (stopWhy === undefined) {
      await Promise.race([stopped, new Promise((r) => setTimeout(r, screen.tty ? 1000 : args.intervalS * 1000))]);
      if (stopWhy !== undefined) break;
      const elapsed = (Date.now() - started) / 1000;
      if (Date.now() >= nextCounts) {
        nextCounts = Date.now() + args.intervalS * 1000;
        const counts = await readCounts(metricsUrl);
        countsText = counts === undefined ? `[${String(Math.round(elapsed)).padStart(4)}s] worker metrics not up yet` : countsLine(elapsed, counts, previous);
        previous = counts ?? previous;
        if (!screen.tty) say(countsText);
        if (stack !== undefined) {
          const now = (await activeAlerts(stack.prometheusUrl))?.filter((a) => a.labels.alertname !== 'FaultlineWorkerDown' || a.state === 'firing');
          const lines = (now ?? []).map(alertLine).sort();
          if (!screen.tty && lines.join('\n') !== alertsText.join('\n')) say(lines.length === 0 ? 'alerts: none pending or firing' : lines.map((l) => `alert  ${l}`).join('\n'));
          alertsText = lines;
        }
      }
      screen.draw([
        countsText,
        `latest tagged events (${OUTPUT_TOPIC}):`,
        ...(events.length === 0 ? ['  none yet'] : events.map((e) => `  ${eventLine(e)}`)),
        ...(stack === undefined
          ? [HOW_TO_GET_ALERTING]
          : [
              'alerts (Prometheus, shipped rules):',
              ...(alertsText.length === 0 ? ['  none pending or firing'] : shownAlerts(alertsText).map((l) => `  ${l}`)),
              'what Alertmanager sent:',
              ...(notices.length === 0 ? ['  nothing yet'] : notices.map((l) => `  ${l}`)),
            ]),
      ]);
    }
    say(`stopping (${stopWhy})…`);
  } finally {
    // The producer first, then the worker (it commits what it has done), then the broker.
    for (const name of ['producer', 'worker']) {
      const child = children.find((c) => c.name === name);
      if (child === undefined) continue;
      if (name === 'worker' && child.running()) {
        const counts = await readCounts(`http://127.0.0.1:${args.metricsPort}/metrics`);
        if (counts !== undefined) say(`final: ${countsLine(0, counts, undefined).replace(/^\[\s*\d+s\] /, '')}`);
      }
      const how = await child.stop(name === 'worker' ? WORKER_GRACE_MS + 5000 : 10_000);
      if (how !== 0) failed = true;
      say(`stopped ${name} (pid ${child.pid}, exit ${how})`);
    }
    await viewer?.stop().catch(() => undefined);
    if (stack !== undefined) {
      await stack.stop();
      say('stopped Prometheus and Alertmanager (their folder removed)');
    }
    await sink?.close();
    if (kafka?.startedByUs) {
      await kafka.stop();
      say(`stopped Kafka on ${kafka.bootstrap}`);
    }
  }
  return failed ? 1 : 0;
}

let args: RunArgs;
try {
  if (process.argv.includes('--help')) {
    say(RUN_USAGE);
    process.exit(0);
  }
  args = parseRunArgs(process.argv.slice(2), process.env);
} catch (err) {
  console.error(`demo: ${(err as Error).message}\n\n${RUN_USAGE}`);
  process.exit(2);
}
try {
  process.exitCode = await main(args);
} catch (err) {
  console.error(`demo: ${(err as Error).message}`);
  process.exitCode = 1;
}
