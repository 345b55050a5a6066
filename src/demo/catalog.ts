import { SIGNALS, type Rule, type Signal } from '../kb/types.js';
import type { DemoService } from './services.js';

/** One real log text from a rule's examples.match, and who logs it in the demo. */
export interface SignalLine {
  signal: Signal;
  service: DemoService;
  ruleId: string;
  text: string;
}

/** Incidents rotate in this order: the headline signals first, so dashboards fill with them first. */
const ORDER: readonly Signal[] = ['pool-starvation', 'socket-exhaustion', ...SIGNALS.filter((s) => s !== 'pool-starvation' && s !== 'socket-exhaustion')];

/**
 * The burst material: for each signal, every example text of every rule carrying that signal,
 * attributed to the services whose domains include the rule's domain. Signals no service can
 * show are absent.
 */
export function signalCatalog(rules: readonly Rule[], services: readonly DemoService[]): Map<Signal, SignalLine[]> {
  const out = new Map<Signal, SignalLine[]>();
  for (const signal of ORDER) {
    const lines: SignalLine[] = [];
    for (const rule of rules) {
      if (!rule.signals.includes(signal)) continue;
      const owners = services.filter((s) => s.domains.includes(rule.domain));
      for (const example of rule.examples?.match ?? []) {
        for (const service of owners) lines.push({ signal, service, ruleId: rule.id, text: example.text });
      }
    }
    if (lines.length > 0) out.set(signal, lines);
  }
  return out;
}
