import { describe, expect, it } from 'vitest';
import { serviceFromHeaders } from '../../src/worker/service-header.js';

describe('serviceFromHeaders', () => {
  it('reads a service header, case-insensitively, as UTF-8', () => {
    expect(serviceFromHeaders({ Service: Buffer.from('checkout') })).toBe('checkout');
    expect(serviceFromHeaders({ 'service.name': 'payments' })).toBe('payments');
  });

  it('prefers service over service.name', () => {
    expect(serviceFromHeaders({ 'service.name': 'b', service: 'a' })).toBe('a');
  });

  it('takes the first of repeated headers', () => {
    expect(serviceFromHeaders({ service: [Buffer.from('a'), Buffer.from('b')] })).toBe('a');
  });

  it('gives none for missing, blank or undecodable values', () => {
    expect(serviceFromHeaders(undefined)).toBeUndefined();
    expect(serviceFromHeaders({ other: 'x' })).toBeUndefined();
    expect(serviceFromHeaders({ service: ' ' })).toBeUndefined();
    expect(serviceFromHeaders({ service: Buffer.from([0xff, 0xfe]) })).toBeUndefined();
  });

  it('bounds the length', () => {
    expect(serviceFromHeaders({ service: 'x'.repeat(1000) })?.length).toBe(200);
  });
});
