import type { Logger } from '../log.js';
import type { PipelineObserver } from '../pipeline/observer.js';

/**
 * Whether the broker answers, as the readiness probe and the logs see it: reported on change
 * only, so a long outage is one "unreachable" line and one "reachable again" line.
 */
export class ConnectionState {
  private up: boolean | undefined;

  constructor(
    private readonly observer: PipelineObserver,
    private readonly logger: Logger,
  ) {}

  reachable(): void {
    if (this.up === true) return;
    if (this.up === false) this.logger.info({ event: 'broker-reachable' }, 'Kafka is reachable again');
    this.up = true;
    this.observer.brokerConnection(true);
  }

  unreachable(reason: string): void {
    if (this.up === false) return;
    this.up = false;
    this.logger.warn({ event: 'broker-unreachable', reason }, 'Kafka is unreachable: retrying with backoff');
    this.observer.brokerConnection(false);
  }
}
