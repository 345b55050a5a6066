import { buildBank } from '../src/match/bank.js';
import { matchRecordText } from '../src/match/joined-lines.js';
import { loadRules } from '../src/kb/load.js';
import { createDecoder } from '../src/decode/decode-record.js';
import { taggedEventJson } from '../src/tag/event-json.js';
import { fileSource, tagEvent } from '../src/tag/tag-event.js';
import { loadBackground } from './corpus.js';
import { DEADENDS_DIR } from './rules-source.js';
const loaded = await loadRules([DEADENDS_DIR]);
const bank = buildBank(loaded.rules).bank;
const decode = createDecoder({} as never);
const lines = loadBackground().files.flat();
const items = lines.map((l) => { const d = decode(l); return { d, m: matchRecordText(bank, d.text) }; }).filter((x) => x.m.length > 0);
console.log(items.length, 'matched of', lines.length);
function time(name: string, f: () => void) { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) / items.length / 10).toFixed(3), 'µs/event'); }
for (let r = 0; r < 3; r++) {
  time('tagEvent', () => { for (let k = 0; k < 10; k++) for (const x of items) tagEvent(x.d, x.m, bank.rules, fileSource('f.log', k)); });
  const evs = items.map((x) => tagEvent(x.d, x.m, bank.rules, fileSource('f.log', 1)));
  time('taggedEventJson', () => { for (let k = 0; k < 10; k++) for (let i = 0; i < items.length; i++) taggedEventJson(items[i]!.d.event, evs[i]!.faultline); });
  time('JSON.stringify(event)', () => { for (let k = 0; k < 10; k++) for (const e of evs) JSON.stringify(e); });
  time('JSON.stringify(base)', () => { for (let k = 0; k < 10; k++) for (const x of items) JSON.stringify(x.d.event); });
}
