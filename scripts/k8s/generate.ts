/**
 * `npm run k8s:generate`: rewrites k8s/base/generated/ from rules/, ops/prometheus/alerts.yml and
 * ops/grafana/faultline-dashboard.json. `--check` changes nothing and exits 1 when it is stale.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIR, generatedFiles } from './generated-files.js';

export interface Drift {
  /** Missing or with other content than generated. */
  changed: string[];
  /** On disk under the generated directory but no longer generated. */
  extra: string[];
}

/** Files under `dir` (relative to `root`), recursively. */
function listFiles(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(root, `${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function drift(root: string, wanted: ReadonlyMap<string, string>): Drift {
  const changed = [...wanted].filter(([rel, text]) => readOrNull(path.join(root, rel)) !== text).map(([rel]) => rel);
  const extra = listFiles(root, GENERATED_DIR).filter((rel) => !wanted.has(rel));
  return { changed, extra };
}

export async function main(argv: readonly string[], root: string): Promise<number> {
  const wanted = await generatedFiles(root);
  const { changed, extra } = drift(root, wanted);
  if (argv.includes('--check')) {
    if (changed.length + extra.length === 0) return 0;
    for (const f of changed) console.error(`stale: ${f}`);
    for (const f of extra) console.error(`not generated any more: ${f}`);
    console.error('k8s/base/generated is stale: run `npm run k8s:generate`');
    return 1;
  }
  for (const rel of extra) rmSync(path.join(root, rel));
  for (const rel of changed) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, wanted.get(rel) ?? '');
  }
  console.error(`${GENERATED_DIR}: ${changed.length} written, ${extra.length} removed, ${wanted.size - changed.length} unchanged`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), fileURLToPath(new URL('../../', import.meta.url)));
}
