/** The loghub 2k ground truth: one record per line, the Content column as the message. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { LOGHUB_DIR } from '../corpus.js';

export const STRUCTURED_DIR = join(LOGHUB_DIR, 'structured');

export interface LabelledSystem {
  system: string;
  messages: string[];
  eventIds: string[];
}

export function loadLabelledSystems(dir = STRUCTURED_DIR): LabelledSystem[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('_2k.log_structured.csv'))
    .sort()
    .map((f) => {
      const rows = parse(readFileSync(join(dir, f), 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
      return {
        system: f.replace('_2k.log_structured.csv', ''),
        messages: rows.map((r) => r.Content ?? ''),
        eventIds: rows.map((r) => r.EventId ?? ''),
      };
    });
}
