import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { foldString, foldTable, hasAstralCaseVariants } from '../../src/match/case-fold.js';

describe('foldTable', () => {
  it('puts the fold partners RE2 knows beyond toLowerCase in one orbit', () => {
    expect(foldString('k')).toBe(foldString('\u212a'));
    expect(foldString('s')).toBe(foldString('\u017f'));
    expect(foldString('σ')).toBe(foldString('ς'));
    expect(foldString('Straße')).toBe(foldString('STRAẞE'));
    expect(foldString('a')).not.toBe(foldString('b'));
  });

  it('leaves surrogates alone', () => {
    const canon = foldTable();
    for (const u of [0xd800, 0xdbff, 0xdc00, 0xdfff]) expect(canon[u]).toBe(u);
  });

  it('contains every case-insensitive match RE2 makes in the BMP', () => {
    // For each character with case, every character RE2's (?i) matches it to must fold to the
    // same representative — otherwise the prefilter would miss a (?i) match.
    let all = '';
    for (let u = 0; u < 0x10000; u++) if (u < 0xd800 || u > 0xdfff) all += String.fromCharCode(u);
    const canon = foldTable();
    let checked = 0;
    for (let u = 0; u < 0x10000; u++) {
      if (u >= 0xd800 && u <= 0xdfff) continue;
      const c = String.fromCharCode(u);
      if (c.toLowerCase() === c && c.toUpperCase() === c) continue;
      const re = new RE2(`(?i)\\x{${u.toString(16)}}`, 'gu');
      for (const m of all.match(re) ?? []) {
        expect(canon[m.charCodeAt(0)], `U+${u.toString(16)} ~ ${JSON.stringify(m)}`).toBe(canon[u]);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  }, 60_000);

  it('flags astral letters that have case partners', () => {
    expect(hasAstralCaseVariants(0x10400)).toBe(true); // DESERET CAPITAL LONG I
    expect(hasAstralCaseVariants(0x1f600)).toBe(false); // emoji
    expect(hasAstralCaseVariants(0x41)).toBe(false); // BMP: handled by the table
    expect(new RE2('(?i)\\x{10400}', 'u').test('\u{10428}')).toBe(true);
  });
});
