/**
 * Structural validation of parsed records: the flat format against rules/schema.json (the same
 * file editors use), the nested deadends format against a light check of the fields faultline
 * reads (src/kb/record-schemas.ts). The validators are ajv standalone code generated at build
 * time (record-validators.generated.ts, `npm run validators:generate`): loading rules compiles
 * no schema and imports no ajv (its import and first compile were ~120 ms of a start).
 */
import type { ErrorObject } from 'ajv';
import { deadends, flat } from './record-validators.generated.js';
import type { KbFormat, RuleProblem } from './types.js';

export { FLAT_SCHEMA_URL } from './record-schemas.js';

/** What ajv's compile gives, as the generated code implements it. */
export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const validators: Record<KbFormat, GeneratedValidator> = { flat: flat as GeneratedValidator, deadends: deadends as GeneratedValidator };

/** Fields whose absence is reported as `missing-field` rather than as a schema violation. */
const KEY_FIELDS: Record<KbFormat, ReadonlySet<string>> = {
  flat: new Set(['/id', '/regex']),
  deadends: new Set(['/id', '/error/regex']),
};

/** Every structural problem of `record` (empty when it is valid). */
export function validateRecord(record: unknown, format: KbFormat, file: string, ruleId?: string): RuleProblem[] {
  const validate = validators[format];
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
