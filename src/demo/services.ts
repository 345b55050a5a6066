/**
 * The made-up shop the demo logs for: each service has the ecosystems its error lines come from
 * (rule domains in rules/) and the log shape its logger writes.
 */
export type LogShape = 'ecs' | 'pino' | 'serilog' | 'zap' | 'text';

export interface DemoService {
  name: string;
  /** Rule domains whose examples this service "logs". */
  domains: readonly string[];
  shape: LogShape;
}

export const DEMO_SERVICES: readonly DemoService[] = [
  { name: 'checkout', domains: ['java', 'database'], shape: 'ecs' },
  { name: 'payments', domains: ['dotnet'], shape: 'serilog' },
  { name: 'search', domains: ['go'], shape: 'zap' },
  { name: 'catalog', domains: ['node'], shape: 'pino' },
  { name: 'accounts', domains: ['python'], shape: 'text' },
  { name: 'storefront', domains: ['php', 'ruby'], shape: 'text' },
  { name: 'edge-proxy', domains: ['proxy', 'linux'], shape: 'text' },
];
