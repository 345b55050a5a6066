import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldString } from '../../src/match/case-fold.js';
import { LiteralScanner, type ScannerOptions } from '../../src/match/literal-scanner.js';

function found(scanner: LiteralScanner, text: string): number[] {
  const n = scanner.scan(text);
  return Array.from(scanner.found.subarray(0, n)).sort((a, b) => a - b);
}

function scannerOf(words: string[], options: ScannerOptions = {}): LiteralScanner {
  return new LiteralScanner(
    words.map((w, owner) => ({ text: foldString(w), owner })),
    options,
  );
}

/** Owners whose literal occurs in the text, by brute force. */
function truth(words: string[], text: string): number[] {
  const folded = foldString(text);
  return words.flatMap((w, i) => (folded.includes(foldString(w)) ? [i] : []));
}

describe('LiteralScanner', () => {
  it('made again from its tables (as the rule cache does), after scans of its own, finds the same', () => {
    const words = ['he', 'she', 'his', 'hers', 'ushers', 'pool exhausted', 'connexion refusée'];
    for (const wide of [false, true]) {
      const first = scannerOf(words, { wide });
      const texts = ['ushers', 'HIS pool EXHAUSTED', 'xyz', 'Connexion refusée: she', 'hers hers'];
      for (const t of texts) found(first, t);
      const again = new LiteralScanner(first.tables());
      for (const t of [...texts, ...texts]) expect(found(again, t)).toEqual(truth(words, t));
    }
  });

  it('finds every literal that occurs, overlapping and nested ones included', () => {
    const words = ['he', 'she', 'his', 'hers', 'ushers'];
    expect(found(scannerOf(words), 'ushers')).toEqual([0, 1, 3, 4]);
    expect(found(scannerOf(words), 'xyz')).toEqual([]);
  });

  it('finds literals whatever the case, via RE2 fold partners too', () => {
    const scanner = scannerOf(['disk full', 'kelvin']);
    expect(found(scanner, 'DISK FULL')).toEqual([0]);
    expect(found(scanner, 'di\u017fk full and \u212aelvin')).toEqual([0, 1]);
  });

  it('reports each owner once and forgets it on the next scan', () => {
    const scanner = new LiteralScanner([
      { text: foldString('ab'), owner: 7 },
      { text: foldString('cd'), owner: 7 },
      { text: foldString('ef'), owner: 2 },
    ]);
    expect(found(scanner, 'ab cd ab ef')).toEqual([2, 7]);
    expect(scanner.has(7)).toBe(true);
    expect(found(scanner, 'nothing')).toEqual([]);
    expect(scanner.has(7)).toBe(false);
  });

  it('rejects empty literals', () => {
    expect(() => new LiteralScanner([{ text: '', owner: 0 }])).toThrow();
  });

  it('finds exactly the literals present when they use few non-ASCII characters', () => {
    const alphabet = fc.constantFrom(...'abcAB .é😀'.split(''), '😀');
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 5, unit: alphabet }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.string({ maxLength: 40, unit: alphabet }), { minLength: 1, maxLength: 5 }),
        (words, texts) => {
          const narrow = scannerOf(words);
          const wide = scannerOf(words, { wide: true });
          for (const text of texts) {
            expect(found(narrow, text)).toEqual(truth(words, text));
            expect(found(wide, text)).toEqual(truth(words, text));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never misses a literal when many non-ASCII characters share columns', () => {
    const cjk = Array.from({ length: 80 }, (_, i) => String.fromCharCode(0x4e00 + i * 7));
    const alphabet = fc.constantFrom(...cjk, 'a', 'b', ' ');
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 4, unit: alphabet }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.string({ maxLength: 40, unit: alphabet }), { minLength: 1, maxLength: 5 }),
        (words, texts) => {
          const scanner = scannerOf(words);
          for (const text of texts) {
            const got = new Set(found(scanner, text));
            for (const owner of truth(words, text)) expect(got.has(owner)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the same with the 32-bit table as with the 16-bit one', () => {
    const words = ['he', 'she', 'his', 'hers', 'ushers', 'disk full', 'kelvin'];
    const narrow = scannerOf(words);
    const wide = scannerOf(words, { wide: true });
    expect(wide.bytes).toBeGreaterThan(narrow.bytes);
    for (const text of ['ushers', 'DISK FULL for \u212aelvin', 'his hers', 'xyz', '']) {
      expect(found(wide, text)).toEqual(found(narrow, text));
      expect(found(narrow, text)).toEqual(truth(words, text));
    }
  });

  it('switches to the 32-bit table beyond 65,536 states', () => {
    // 70,000 distinct 4-letter words: more than 65,536 prefixes, so state ids need 32 bits.
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = Array.from({ length: 70_000 }, (_, i) => {
      let w = '';
      for (let k = 0, v = i; k < 4; k++, v = Math.floor(v / 26)) w += letters[v % 26];
      return w;
    });
    const scanner = scannerOf(words);
    expect(scanner.states).toBeGreaterThan(0x10000);
    expect(scanner.bytes).toBeGreaterThan(4 * scanner.states * scanner.width);
    const text = `xx ${words[0]} ${words[69_999]} ${words[65_536]}`;
    expect(found(scanner, text)).toEqual(truth(words, text));
  });

  it('keeps reporting correctly across the 16-bit scan generation wrap-around', () => {
    // Texts longer than the number of reporting states: were a stale generation to count every
    // step as a first arrival, the hit list would overflow and drop 'cd'.
    const scanner = scannerOf(['ab', 'b', 'cd']);
    for (let i = 0; i < 0x10000 + 10; i++) {
      const text = i % 3 === 0 ? 'xababab cd' : i % 3 === 1 ? 'cd' : 'zz';
      expect(found(scanner, text)).toEqual(truth(['ab', 'b', 'cd'], text));
    }
  });
});
