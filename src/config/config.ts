import type { ErrorObject } from 'ajv';
import * as optionValidators from './option-validators.generated.js';
import { compileFieldPath } from '../decode/field-path.js';
import { OPTIONS, type CommandName, type OptionSpec } from './options.js';

/** The resolved, validated settings. Which ones are set depends on the command. */
export interface Config {
  rules: string[];
  strictRules: boolean;
  /** Rule directories checked for changes this often (0: no live reload but SIGHUP). */
  rulesWatchMs: number;
  /** Matcher threads; unset: the cores the process may use (src/pool/thread-count.ts). */
  matchThreads?: number;
  /** FAULTLINE_CACHE_DIR: unset is the default directory (src/ruleset/bank-cache.ts), "off" none. */
  cacheDir?: string;
  maxRecordBytes: number;
  /** Limits on what a record carries besides its value, checked before anything reads it. */
  maxKeyBytes: number;
  maxHeaders: number;
  maxHeaderBytes: number;
  /** Overrides the broker's max.message.bytes of the output and dead-letter topics. */
  maxMessageBytes?: number;
  messageFields?: string[];
  errorFields?: string[];
  serviceFields?: string[];
  brokers: string[];
  inputTopics: string[];
  /** `encoding` or `topic=encoding` items (src/decode/input-encoding.ts). */
  inputEncoding?: string[];
  outputTopic: string;
  dlqTopic: string;
  groupId: string;
  clientId: string;
  emit: 'matched' | 'all';
  fromBeginning: boolean;
  shutdownGraceMs: number;
  /** Unset: zstd where the runtime compresses it, else lz4 (src/kafka/codecs/output-compression.ts). */
  outputCompression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  saslUsername?: string;
  saslPassword?: string;
  tls: boolean;
  tlsCaFile?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  metricsPort: number;
  metricsHost: string;
  serviceLabelLimit: number;
  unknownTemplates: boolean;
  unknownTemplatesMax: number;
  readyBrokerDownMs: number;
  healthMaxLoopLagMs: number;
  readyStallMs: number;
  sessionTimeoutMs: number;
  /** Unset: <tmpdir>/faultline (src/worker/inflight-store.ts). */
  stateDir?: string;
  poisonCrashes: number;
  /** Internal worker knobs (see WorkerTuning). */
  tuning?: Record<string, number>;
  /** The demo producer's own settings (src/demo/options.ts): its topic and schedule. */
  topic?: string;
  partitions?: number;
  /** Ordinary lines per second. */
  rate?: number;
  /** Seconds between incidents. */
  burstEvery?: number;
  burstSize?: number;
  seed?: number;
  /** Seconds until the producer stops by itself. */
  duration?: number;
  logLevel: string;
}

/** Settings that must be given for a command to start. */
const REQUIRED: Record<CommandName, string[]> = {
  worker: ['brokers', 'inputTopics'],
  demo: ['brokers'],
  scan: [],
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export function optionsFor(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

function describe(spec: OptionSpec): string {
  const flag = spec.flag.split(' ')[0];
  return spec.env ? `${spec.env} (${flag})` : String(flag);
}

function splitList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A setting's validator: ajv standalone code generated at build time (scripts/validators), no compile at run time. */
interface OptionValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

function validatorOf(spec: OptionSpec): OptionValidator {
  const validate = (optionValidators as Record<string, OptionValidator | undefined>)[spec.key];
  if (validate === undefined) throw new Error(`no generated validator for setting ${spec.key}: run npm run validators:generate`);
  return validate;
}

function explain(spec: OptionSpec, raw: unknown, errors: ErrorObject[]): string {
  const shown = spec.secret ? '<hidden>' : JSON.stringify(raw);
  const reasons = [...new Set(errors.map((e) => {
    if (e.keyword === 'enum') return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (e.keyword === 'additionalProperties') return `unknown key ${(e.params as { additionalProperty: string }).additionalProperty}`;
    const at = e.instancePath.replace(/^\/v\/?/, '');
    return `${at === '' ? '' : `${at} `}${e.message ?? 'is invalid'}`;
  }))];
  return `${describe(spec)}: ${reasons.join('; ')} (got ${shown})`;
}

/**
 * Validates raw values for one command: a flag (or a typed value from code) wins over the
 * environment variable, which wins over the default. Throws a ConfigError carrying one line per
 * problem, so start-up can print them all.
 */
export function resolveConfig(
  command: CommandName,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const spec of optionsFor(command)) {
    raw[spec.key] = flags[spec.key] ?? (spec.env !== undefined ? env[spec.env] : undefined);
    let value = raw[spec.key];
    if (value === undefined || value === '') {
      if (spec.default !== undefined) out[spec.key] = structuredClone(spec.default);
      continue;
    }
    if (spec.list) value = splitList(value);
    if (spec.json && typeof value === 'string') {
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        problems.push(`${describe(spec)}: is not valid JSON`);
        continue;
      }
    }
    // ajv coerces in place, so validate a holder object rather than the bare value.
    const holder = { v: value };
    const validate = validatorOf(spec);
    if (!validate(holder)) {
      problems.push(explain(spec, raw[spec.key], validate.errors ?? []));
      continue;
    }
    out[spec.key] = holder.v;
  }
  for (const key of REQUIRED[command]) {
    const spec = OPTIONS.find((o) => o.key === key);
    // A value that was given but invalid has its own line already.
    if (spec && out[key] === undefined && (raw[key] === undefined || raw[key] === '')) problems.push(`${describe(spec)}: required`);
  }
  problems.push(...crossChecks(out));
  if (problems.length > 0) throw new ConfigError(problems);
  return out as unknown as Config;
}

function crossChecks(c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (c.saslMechanism !== undefined && (c.saslUsername === undefined || c.saslPassword === undefined)) {
    problems.push('FAULTLINE_KAFKA_SASL_MECHANISM is set: FAULTLINE_KAFKA_SASL_USERNAME and FAULTLINE_KAFKA_SASL_PASSWORD are required');
  }
  if ((c.tlsCertFile === undefined) !== (c.tlsKeyFile === undefined)) {
    problems.push('FAULTLINE_KAFKA_TLS_CERT_FILE and FAULTLINE_KAFKA_TLS_KEY_FILE go together: set both or neither');
  }
  if (c.tlsCaFile !== undefined || c.tlsCertFile !== undefined) c.tls = true;
  for (const key of ['messageFields', 'errorFields', 'serviceFields'] as const) {
    const spec = OPTIONS.find((o) => o.key === key);
    for (const path of (c[key] as string[] | undefined) ?? []) {
      // `a|b` takes the first alternative that exists: each must be a valid path.
      for (const alt of path.split('|')) {
        try {
          compileFieldPath(alt);
        } catch (err) {
          problems.push(`${spec ? describe(spec) : key}: ${(err as Error).message}`);
        }
      }
    }
  }
  return problems;
}
