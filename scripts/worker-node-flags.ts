import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node flags the worker runs with, as `npm start` gives them (package.json): the demo and
 * bench:e2e start the worker the same way, and the Dockerfile's ENTRYPOINT carries the same
 * flags (test/deploy/dockerfile.test.ts checks it).
 */
export function workerNodeFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const entry = words.indexOf('dist/cli/main.js');
  if (words[0] !== 'node' || entry < 0) throw new Error(`package.json start is not "node [flags] dist/cli/main.js worker": ${pkg.scripts.start}`);
  return words.slice(1, entry);
}
