import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FLAT_SCHEMA_URL, validateRecord } from '../../src/kb/validate-record.js';
import { SIGNALS } from '../../src/kb/types.js';
import { REPO_SEED_FILE, flatRecord } from './rule-files.js';

const messages = (record: unknown): string[] => validateRecord(record, 'flat', 'f.json').map((p) => p.message);

describe('rules/schema.json', () => {
  it('declares its draft for editors and describes every signal under tags', async () => {
    const schema = JSON.parse(await readFile(FLAT_SCHEMA_URL, 'utf8')) as {
      $schema: string;
      properties: { tags: { description: string } };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    for (const signal of SIGNALS) expect(schema.properties.tags.description).toContain(`\`${signal}\``);
  });

  it('accepts the seed and a minimal record', async () => {
    expect(messages(JSON.parse(await readFile(REPO_SEED_FILE, 'utf8')))).toEqual([]);
    expect(messages(flatRecord())).toEqual([]);
  });

  it('accepts unknown fields', () => {
    expect(messages(flatRecord({ team: 'sre', runbook: { url: 'x' } }))).toEqual([]);
  });

  it.each([
    [{ id: 'Dotnet/Boom' }, 'id: must match pattern'],
    [{ id: 'no-slash' }, 'id: must match pattern'],
    [{ regex: '' }, 'regex: must NOT have fewer than 1 characters'],
    [{ domain: 3 }, 'domain: must be string'],
    [{ official_doc_url: 'not a url' }, 'official_doc_url: must match format "uri"'],
    [{ first_seen: '20.06.2023' }, 'first_seen: must match pattern'],
    [{ resolvable: 'yes' }, 'resolvable: must be one of "true", "partial", "false", true, false, null'],
    [{ evidence_count: -1 }, 'evidence_count: must be >= 0'],
    [{ fix_success_rate: 2 }, 'fix_success_rate: must be <= 1'],
    [{ tags: ['a', 'a'] }, 'tags: must NOT have duplicate items'],
    [{ regex_variants: [{ locale: 'de' }] }, 'missing required field "regex_variants[0].regex"'],
    [{ examples: { match: [{ source: 'https://x.test' }] } }, 'missing required field "examples.match[0].text"'],
    [{ examples: { match: [''] } }, 'examples.match[0]: must NOT have fewer than 1 characters'],
    [{ examples: { no_match: [{ text: 'x', why: 'typo' }] } }, 'examples.no_match[0]: unknown field "why"'],
    [{ transition_graph: { leads_to: [{ probability: 0.5 }] } }, 'missing required field "transition_graph.leads_to[0].error_id"'],
  ])('rejects %j', (fields, message) => {
    expect(messages(flatRecord(fields)).join('\n')).toContain(message);
  });
});
