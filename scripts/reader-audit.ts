/**
 * The reader's robustness audit (`npx tsx scripts/reader-audit.ts [mangling-prefix|all] [rules]`):
 * every `examples.match` text of a rule with a signal, mangled the way the world delivers messages
 * (hard-wrapped at 60-120 columns at a space or inside a word, per-line prefixes of docker compose,
 * kubectl, journald, syslog and a `> ` quote, the per-line stamps of CI runners and `--timestamps`
 * (Jenkins, GitHub Actions, kubectl/docker, GitLab), a `name: value` list cut before each
 * parenthesised value (StackExchange.Redis' `IOCP:` ⏎ `(Busy=…)`), indented, JSON-escaped inside text or a JSON string,
 * CRLF, tabs, doubled spaces), read through scan's reader and decoder and `matchRecordText`; it
 * counts the examples that lose their rule's signals, and the `no_match` texts (with no signal as
 * they are) that gain one. Not a gate: a measure of how the reader (src/decode/multiline.ts, the
 * views of src/match/record-text.ts) copes, to be read before and after a change to it.
 */
import { loadBank, ScanPath } from './holdout/measure.js';
import { matchRecordText } from '../src/match/record-text.js';

const W = [60, 70, 80, 90, 100, 110, 120];
const lines = (t: string) => t.split('\n');
function wrap(t: string, w: number, atSpace: boolean): string {
  return lines(t).map((l) => {
    const out: string[] = [];
    let rest = l;
    while (rest.length > w) {
      let cut = w;
      if (atSpace) { const s = rest.lastIndexOf(' ', w); if (s > 0) cut = s; }
      out.push(rest.slice(0, cut));
      rest = atSpace && rest[cut] === ' ' ? rest.slice(cut + 1) : rest.slice(cut);
    }
    out.push(rest);
    return out.join('\n');
  }).join('\n');
}
const per = (p: string) => (t: string) => lines(t).map((l) => p + l).join('\n');
/** A per-line stamp with each line's own time (a runner's or a collector's). */
const stamped = (stamp: (i: number) => string) => (t: string) => lines(t).map((l, i) => stamp(i) + l).join('\n');
const sec = (i: number) => String(i % 60).padStart(2, '0');
/** A `name: value` list pasted at a narrow width: each line cut before a parenthesised value (`…, IOCP:` ⏎ `(Busy=1,…)`). */
const listCut = (t: string) => t.replace(/([,;] [A-Za-z][\w.-]*:) (?=\([A-Za-z_][\w.-]*[=:])/g, '$1\n');
const esc = (t: string) => JSON.stringify(t).slice(1, -1);
const M: Record<string, (t: string) => string> = {};
for (const w of W) { M[`wrap-space-${w}`] = (t) => wrap(t, w, true); M[`wrap-word-${w}`] = (t) => wrap(t, w, false); }
Object.assign(M, {
  compose: per('svc_1  | '),
  kubectl: per('[pod/web-7d9f8/app] '),
  journald: per('Dec 04 18:40:01 host app[1234]: '),
  syslog: per('<27>Dec  4 18:40:01 host app[1234]: '),
  quote: per('> '),
  jenkins: stamped((i) => `[2024-03-01T10:00:${sec(i)}.${String(100 + i).padStart(3, '0')}Z] `),
  'gh-actions': stamped((i) => `2024-03-01T10:00:${sec(i)}.${String(1234567 + i * 7)}Z `),
  'kubectl-ts': stamped((i) => `2024-03-01T10:00:${sec(i)}.${String(12345678 + i * 13)}Z `),
  'gitlab-ts': stamped((i) => `2024-03-01T10:00:${sec(i)}.${String(123456 + i)}Z 01E${i % 3 === 2 ? '+' : ' '}`),
  'list-cut': listCut,
  indent4: per('    '),
  'docker-json': (t: string) => lines(t).map((l) => JSON.stringify({ log: l + '\n', stream: 'stderr', time: '2026-12-04T18:40:01.123456789Z' })).join('\n'),
  'json-msg': (t: string) => JSON.stringify({ level: 'error', ts: '2026-12-04T18:40:01Z', msg: t }),
  'json-in-text': (t: string) => `2026-12-04 18:40:01 ERROR payload {"error":"${esc(t)}"}`,
  'json-in-json': (t: string) => JSON.stringify({ level: 'error', msg: `request failed {"error":"${esc(t)}"}` }),
  crlf: (t: string) => t.split('\n').join('\r\n'),
  'tab-colon': (t: string) => t.replace(/: /g, ':\t'),
  'tab-indent': (t: string) => t.replace(/^ +/gm, '\t'),
  'double-space': (t: string) => t.replace(/ /g, '  '),
});
const only = process.argv[2];
const rules = process.argv[3] ?? 'rules';
const loaded = await loadBank(rules);
const scan = new ScanPath();
async function signals(text: string): Promise<Set<string>> {
  const got = new Set<string>();
  for (const rec of await scan.records(text)) {
    if (rec === '') continue;
    for (const m of matchRecordText(loaded.bank, rec)) for (const s of loaded.rules[m.rule]?.signals ?? []) got.add(s);
  }
  return got;
}
let base = 0; let baseMiss = 0; let negBase = 0;
const lost: Record<string, number> = {}; const gained: Record<string, number> = {};
const lostIds: Record<string, string[]> = {};
const names = Object.keys(M).filter((n) => only === undefined || only === 'all' || n.startsWith(only));
for (const rule of loaded.rules) {
  if (rule.signals.length === 0) continue;
  for (const ex of rule.examples?.match ?? []) {
    const o = await signals(ex.text);
    if (!rule.signals.every((s) => o.has(s))) { baseMiss++; continue; }
    base++;
    for (const n of names) {
      const g = await signals(M[n]!(ex.text));
      if (!rule.signals.every((s) => g.has(s))) { lost[n] = (lost[n] ?? 0) + 1; (lostIds[n] ??= []).push(rule.id); }
    }
  }
}
for (const rule of loaded.rules) {
  for (const ex of rule.examples?.no_match ?? []) {
    const o = await signals(ex.text);
    if (o.size > 0) continue;
    negBase++;
    for (const n of names) if ((await signals(M[n]!(ex.text))).size > 0) gained[n] = (gained[n] ?? 0) + 1;
  }
}
console.log(`positives ${base} (${baseMiss} miss unmangled), signal-free negatives ${negBase}`);
let tl = 0; let tg = 0;
for (const n of names) { tl += lost[n] ?? 0; tg += gained[n] ?? 0; console.log(`${n.padEnd(16)} lost ${String(lost[n] ?? 0).padStart(4)}  gained ${gained[n] ?? 0}`); }
console.log(`TOTAL lost ${tl} gained ${tg}`);
