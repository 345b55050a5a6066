/**
 * `npm run validators:generate`: writes the ajv standalone validators of rule records and settings
 * (scripts/validators/validators.ts), so that start-up loads no schema compiler (ajv's import and
 * first compile were ~120 ms of CPU of a 0.6 s `faultline scan`). `--check` changes nothing and
 * exits 1 when a generated file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedValidators } from './validators.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
for (const [rel, text] of generatedValidators()) {
  const file = path.join(ROOT, rel);
  let old: string | null = null;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    old = null;
  }
  if (old === text) continue;
  if (check) {
    console.error(`${rel} is stale: run npm run validators:generate`);
    stale++;
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${rel}`);
  }
}
if (stale > 0) process.exitCode = 1;
