/**
 * Structural validation of parsed records with ajv: the flat format against rules/schema.json
 * (the same file editors use), the nested deadends format against a light check of the fields
 * faultline reads. Both validators are compiled once, on first use.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import type { KbFormat, RuleProblem } from './types.js';

/** rules/schema.json, found from src/kb/ and from dist/kb/ alike. */
export const FLAT_SCHEMA_URL = new URL('../../rules/schema.json', import.meta.url);

const DEADENDS_SCHEMA: AnySchemaObject = {
  type: 'object',
  required: ['id', 'error'],
  properties: {
    id: { type: 'string', minLength: 1 },
    error: {
      type: 'object',
      required: ['regex', 'domain', 'category'],
      properties: {
        regex: { type: 'string', minLength: 1 },
        domain: { type: 'string', minLength: 1 },
        category: { type: 'string', minLength: 1 },
      },
    },
    verdict: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    workarounds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['action'],
        properties: { action: { type: 'string' }, how: { type: 'string' }, success_rate: { type: 'number' } },
      },
    },
    metadata: { type: 'object', properties: { review_status: { type: 'string' } } },
  },
};

/** Fields whose absence is reported as `missing-field` rather than as a schema violation. */
const KEY_FIELDS: Record<KbFormat, ReadonlySet<string>> = {
  flat: new Set(['/id', '/regex']),
  deadends: new Set(['/id', '/error/regex']),
};

let validators: Record<KbFormat, ValidateFunction> | undefined;

function getValidators(): Record<KbFormat, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
  // ajv ships no formats; the schema uses only "uri", and only for links meant to be opened.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  const flatSchema = JSON.parse(readFileSync(FLAT_SCHEMA_URL, 'utf8')) as AnySchemaObject;
  validators = { flat: ajv.compile(flatSchema), deadends: ajv.compile(DEADENDS_SCHEMA) };
  return validators;
}

/** Every structural problem of `record` (empty when it is valid). */
export function validateRecord(record: unknown, format: KbFormat, file: string, ruleId?: string): RuleProblem[] {
  const validate = getValidators()[format];
  if (validate(record)) return [];
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, format, file, ruleId);
    const key = `${problem.kind}\0${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function toProblem(error: ErrorObject, format: KbFormat, file: string, ruleId: string | undefined): RuleProblem {
  const base = { file, ...(ruleId === undefined ? {} : { ruleId }) };
  const where = dottedPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const field = String(params.missingProperty);
    const full = `${error.instancePath}/${field}`;
    const name = dottedPath(full);
    if (KEY_FIELDS[format].has(full)) return { ...base, kind: 'missing-field', message: `missing required field "${name}"` };
    return { ...base, kind: 'schema', message: `missing required field "${name}"` };
  }
  if (error.keyword === 'additionalProperties') {
    return { ...base, kind: 'schema', message: `${where}: unknown field "${String(params.additionalProperty)}"` };
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return { ...base, kind: 'schema', message: `${where}: must be one of ${allowed}` };
  }
  return { ...base, kind: 'schema', message: `${where}: ${error.message ?? error.keyword}` };
}

/** `/workarounds/0/success_rate` → `workarounds[0].success_rate`; the root is "record". */
export function dottedPath(pointer: string): string {
  if (pointer === '') return 'record';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}
