import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReadme } from '../../scripts/readme-sections.js';
import { OPTIONS } from '../../src/config/options.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every setting, as generated from the options table (npm run readme)', () => {
    expect(renderReadme(readme)).toBe(readme);
    for (const o of OPTIONS) if (o.env) expect(readme).toContain(`\`${o.env}\``);
  });
});
