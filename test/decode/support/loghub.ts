/**
 * The loghub 2k samples in ../shared/data/loghub (real logs of 16 systems, none of them a
 * faultline signature): background for false-join and false-positive checks. A fresh clone has
 * no ../shared; tests then skip with a message saying so.
 */

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const LOGHUB_DIR = resolve(here, '../../../../shared/data/loghub');

export const LOGHUB_MISSING_REASON = `loghub samples not found at ${LOGHUB_DIR} (they live in ../shared, absent from a fresh clone)`;

export function loghubFiles(): string[] {
  if (!existsSync(LOGHUB_DIR)) return [];
  return readdirSync(LOGHUB_DIR)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(LOGHUB_DIR, f));
}
