import { describe, expect, it } from 'vitest';
import { UnknownErrors, firstLine } from '../../src/templates/unknown-errors.js';

const at = (n: number) => () => ({ kind: 'kafka', topic: 'logs', partition: 0, offset: String(n) });

describe('UnknownErrors', () => {
  it('keeps errors and warnings, not ordinary lines, with count, services, times and one example', () => {
    const t = new UnknownErrors();
    expect(t.observe({ text: 'INFO request served in 3 ms', event: {}, service: 'api', source: at(1) }, 1000)).toBe('other');
    t.observe({ text: 'ERROR FooPool: no lease for tenant 12 after 300 ms', event: {}, service: 'api', source: at(2) }, 2000);
    t.observe({ text: 'ERROR FooPool: no lease for tenant 99 after 310 ms', event: {}, service: 'billing', source: at(3) }, 3000);
    t.observe({ text: 'WARN disk /data at 91%', event: {}, service: 'api', source: at(4) }, 4000);
    const list = t.list();
    expect(list).toHaveLength(2);
    const [pool, disk] = list;
    expect(pool).toMatchObject({
      pattern: 'ERROR FooPool : no lease for tenant <*> after <*> ms',
      count: 2,
      severity: 'error',
      services: ['api', 'billing'],
      firstSeen: new Date(2000).toISOString(),
      lastSeen: new Date(3000).toISOString(),
      example: { text: 'ERROR FooPool: no lease for tenant 12 after 300 ms', source: { offset: '2' } },
    });
    expect(disk).toMatchObject({ severity: 'warn', count: 1 });
    expect(t.records).toBe(3);
    expect(Object.fromEntries(t.recordsByService())).toEqual({ api: 2, billing: 1 });
  });

  it('mines the first line only: stack frames do not split a template', () => {
    const t = new UnknownErrors();
    t.observe({ text: 'java.lang.IllegalStateException: lease 1 lost\n\tat a.B.c(B.java:1)', event: {}, source: at(1) }, 1);
    t.observe({ text: 'java.lang.IllegalStateException: lease 2 lost\n\tat x.Y.z(Y.java:9)\n\tat q.R.s(R.java:3)', event: {}, source: at(2) }, 2);
    expect(t.list()).toHaveLength(1);
    expect(firstLine('a\nb')).toBe('a');
  });

  it('bounds services per template and the example length', () => {
    const t = new UnknownErrors({ maxServices: 3, maxExampleChars: 40 });
    for (let i = 0; i < 10; i++) t.observe({ text: `ERROR widget ${i} failed ${'x'.repeat(100)}`, event: {}, service: `svc-${i}`, source: at(i) }, i);
    const [one] = t.list();
    expect(one?.services).toHaveLength(3);
    expect(one?.moreServices).toBe(true);
    expect(one?.example.text).toHaveLength(40);
  });

  it('drops the table entry of an evicted template, and counts evictions', () => {
    const t = new UnknownErrors({ maxTemplates: 2 });
    t.observe({ text: 'ERROR alpha broke', event: {}, source: at(1) }, 1);
    t.observe({ text: 'ERROR beta went wrong again', event: {}, source: at(2) }, 2);
    t.observe({ text: 'ERROR gamma is a third kind of error here', event: {}, source: at(3) }, 3);
    expect(t.size).toBe(2);
    expect(t.evictions).toBe(1);
    expect(t.list().map((x) => x.pattern)).not.toContain('ERROR alpha broke');
  });

  it('counts per service through the given key function', () => {
    const t = new UnknownErrors({ serviceKey: (s) => (s === undefined ? 'unknown' : s.length > 3 ? 'other' : s) });
    t.observe({ text: 'ERROR a', event: {}, service: 'api', source: at(1) }, 1);
    t.observe({ text: 'ERROR b', event: {}, service: 'a-long-name', source: at(2) }, 2);
    t.observe({ text: 'ERROR c', event: {}, source: at(3) }, 3);
    expect(Object.fromEntries(t.recordsByService())).toEqual({ api: 1, other: 1, unknown: 1 });
  });
});
