import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descriptorSource } from '../../../scripts/otlp/generate-descriptor.js';

describe('the OTLP logs descriptor', () => {
  it('is the one generated from the .proto files in scripts/otlp/proto (npm run otlp:generate)', () => {
    expect(readFileSync('src/decode/otlp/logs-descriptor.ts', 'utf8')).toBe(descriptorSource());
  });
});
