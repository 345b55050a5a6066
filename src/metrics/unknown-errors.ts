/**
 * Metrics of the unknown-error templates. No log text in any label: the templates themselves are
 * at /templates; Prometheus gets their number, the evictions, and records per (bounded) service.
 * Read from the table at scrape time, so the hot path pays nothing for them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { UnknownErrors } from '../templates/unknown-errors.js';

export function registerUnknownErrorMetrics(registry: Registry, table: UnknownErrors): void {
  const registers = [registry];
  new Gauge({
    name: 'faultline_unknown_error_templates',
    help: 'Live templates of unmatched error and warning records (see /templates).',
    registers,
    collect() {
      this.set(table.size);
    },
  });
  new Counter({
    name: 'faultline_unknown_error_template_evictions_total',
    help: 'Templates of unknown errors dropped, least recently seen first, to keep the table bounded.',
    registers,
    collect() {
      this.reset();
      this.inc(table.evictions);
    },
  });
  new Counter({
    name: 'faultline_unknown_error_records_total',
    help: 'Records that no rule matched and that look like errors or warnings, per service.',
    labelNames: ['service'] as const,
    registers,
    collect() {
      this.reset();
      for (const [service, n] of table.recordsByService()) this.inc({ service }, n);
    },
  });
}
