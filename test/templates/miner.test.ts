import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateMiner, templatePattern } from '../../src/templates/miner.js';
import { loadLabelledSystems, STRUCTURED_DIR } from '../../bench/templates/loghub-truth.js';
import { seededRandom } from '../../bench/random.js';

describe('TemplateMiner', () => {
  it('groups messages that differ in their variables and keeps the constants', () => {
    const m = new TemplateMiner();
    const a = m.add('Connection from 10.0.0.1 closed after 31 ms');
    const b = m.add('Connection from 10.0.0.7 closed after 2 ms');
    const c = m.add('Disk /dev/sda1 is full');
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
    expect(templatePattern(a.tokens)).toBe('Connection from <*> closed after <*> ms');
    expect(a.count).toBe(2);
  });

  it('a word that differs in a long message becomes a wildcard', () => {
    const m = new TemplateMiner();
    const words = 'the worker pool rejected the task because every one of its threads was busy for user';
    const a = m.add(`${words} alice`);
    const b = m.add(`${words} bob`);
    expect(b.id).toBe(a.id);
    expect(a.tokens.at(-1)).toBe('<*>');
  });

  it('a different constant word in a short message is a different template', () => {
    const m = new TemplateMiner();
    expect(m.add('VM Started (Lifecycle Event)').id).not.toBe(m.add('VM Paused (Lifecycle Event)').id);
  });

  it('stays within maxTemplates under a flood of unique messages, least recently seen out first', () => {
    const max = 50;
    const m = new TemplateMiner({ maxTemplates: max });
    const random = seededRandom(7);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const word = () => Array.from({ length: 3 + Math.floor(random() * 6) }, () => letters[Math.floor(random() * 26)]).join('');
    const keep = m.add('the one message seen all the time');
    const n = 5000;
    for (let i = 0; i < n; i++) {
      m.add(Array.from({ length: 1 + Math.floor(random() * 12) }, word).join(' '));
      if (i % 10 === 0) m.add('the one message seen all the time');
      expect(m.size).toBeLessThanOrEqual(max);
    }
    const index = m.indexSize();
    expect(index.entries).toBe(m.size);
    expect(index.buckets).toBeLessThanOrEqual(max);
    expect(m.evictions).toBeGreaterThan(n / 2);
    // Seen again and again, so never the least recently seen: it survived with its count.
    expect(m.get(keep.id)?.count).toBe(1 + n / 10);
  });

  it('mines the same templates, with the same ids, run after run', () => {
    const random = seededRandom(3);
    const lines = Array.from({ length: 3000 }, (_, i) => `job ${i} ${random() < 0.5 ? 'finished' : 'failed'} on node-${i % 7} after ${Math.floor(random() * 1000)} ms`);
    const run = () => {
      const m = new TemplateMiner();
      return lines.map((l) => {
        const t = m.add(l);
        return `${t.id} ${templatePattern(t.tokens)}`;
      });
    };
    expect(run()).toEqual(run());
  });

  it.skipIf(!existsSync(STRUCTURED_DIR))('mines the loghub files the same way run after run', () => {
    const systems = loadLabelledSystems();
    expect(systems).toHaveLength(16);
    const run = () =>
      systems.map((s) => {
        const m = new TemplateMiner();
        const ids = s.messages.map((t) => m.add(t).id);
        return { ids, templates: m.templates().map((t) => `${t.id} ${templatePattern(t.tokens)} ${t.count}`) };
      });
    const first = run();
    expect(run()).toEqual(first);
    // Far fewer templates than lines: the miner groups (ground truth: 6 to 341 per 2,000 lines).
    for (const r of first) expect(r.templates.length).toBeLessThan(600);
  });

  it('rejects settings out of range', () => {
    expect(() => new TemplateMiner({ maxTemplates: 0 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ similarity: 0 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ similarity: 1.5 })).toThrow(RangeError);
  });
});
