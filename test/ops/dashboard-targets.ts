// The shipped dashboard's query targets, and its variables resolved as Grafana resolves them with
// every multi-value variable at "All" (allValue ".*"): what the real-Prometheus test queries.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DASHBOARD = fileURLToPath(new URL('../../ops/grafana/faultline-dashboard.json', import.meta.url));

interface RawPanel {
  title: string;
  type: string;
  targets?: Array<{ refId: string; expr: string }>;
  panels?: RawPanel[];
}
interface RawVariable {
  name: string;
  type: string;
  includeAll?: boolean;
  allValue?: string;
}

export interface DashboardTarget {
  panel: string;
  refId: string;
  expr: string;
}

function readDashboard(): { panels: RawPanel[]; templating: { list: RawVariable[] } } {
  return JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: RawPanel[]; templating: { list: RawVariable[] } };
}

export function dashboardTargets(): DashboardTarget[] {
  const panels = readDashboard().panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return panels
    .filter((p) => p.type !== 'row')
    .flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr })));
}

export interface Intervals {
  /** Grafana's $__rate_interval: at least four scrape intervals. */
  rateInterval: string;
  /** The dashboard's time range, $__range. */
  range: string;
}

/**
 * Grafana's built-ins, then the dashboard's own variables: a variable with "All" becomes its
 * allValue; one without (the job) must be given. Throws on a variable the dashboard does not
 * define, so a renamed variable fails here instead of querying nothing.
 */
export function resolveDashboardVariables(expr: string, iv: Intervals, values: Record<string, string> = {}): string {
  const vars = new Map(readDashboard().templating.list.map((v) => [v.name, v]));
  return expr
    .replace(/\$__rate_interval\b/g, iv.rateInterval)
    .replace(/\$__range\b/g, iv.range)
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      if (values[name] !== undefined) return values[name];
      const v = vars.get(name);
      if (v === undefined) throw new Error(`dashboard query uses an undefined variable ${whole}: ${expr}`);
      if (v.includeAll === true && v.allValue !== undefined) return v.allValue;
      throw new Error(`variable ${name} has no "All" value: give it`);
    });
}
