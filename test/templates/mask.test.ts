import { describe, expect, it } from 'vitest';
import { WILDCARD, isVariable, maskToken } from '../../src/templates/mask.js';

describe('maskToken', () => {
  it.each([
    ['12345'],
    ['0x7fff1234'],
    ['10.0.0.1:443'],
    ['blk_-6952295868487656571'],
    ['b9000564-fe1a-409b-b8cc-1e88b294cd1d'],
    ['30000ms'],
    ['/var/log/syslog'],
    ['https://example.org/a'],
    ['C:\\Windows\\system32'],
    ['alice@example.org'],
    ['www.google.com'],
    ['Fri'],
    ['Jun'],
  ])('%s is a variable', (token) => {
    expect(isVariable(token)).toBe(true);
    expect(maskToken(token)).toBe(WILDCARD);
  });

  it.each([['Connection'], ['refused'], ['org.apache.hadoop.mapred.TaskTracker'], ['/'], ['-'], ['ERROR'], ['user']])('%s is a constant', (token) => {
    expect(isVariable(token)).toBe(false);
    expect(maskToken(token)).toBe(token);
  });
});
