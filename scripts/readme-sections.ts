/**
 * Generated README sections: `--check` exits 1 when README.md is stale, otherwise the sections
 * are rewritten in place. Each section lives between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configTable } from './readme/config-table.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

export const SECTIONS: Record<string, () => string> = {
  config: configTable,
};

export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${text.slice(0, i + start.length)}\n${body.trimEnd()}\n${text.slice(j)}`;
}

export function renderReadme(text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(SECTIONS)) out = replaceSection(out, name, render());
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const current = readFileSync(README, 'utf8');
  const next = renderReadme(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('README.md is stale: run `npm run readme`');
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(README, next);
    console.error('README.md updated');
  }
}
