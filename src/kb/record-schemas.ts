/**
 * The JSON Schemas of rule records: the flat format's is rules/schema.json (the file editors
 * use), the nested deadends format's is a light check of the fields faultline reads. They are
 * compiled at build time into src/kb/record-validators.generated.ts (npm run validators:generate),
 * so that no schema is compiled while rules load.
 */
import { readFileSync } from 'node:fs';

/** rules/schema.json, found from src/kb/ and from dist/kb/ alike. */
export const FLAT_SCHEMA_URL = new URL('../../rules/schema.json', import.meta.url);

export function flatSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(FLAT_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

export const DEADENDS_SCHEMA: Record<string, unknown> = {
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
